/*
 * The sandbox ("pause") process of the test node's pods, compiled with gcc -static at test time because no image
 * can be pulled here (PauseImage.cs). It does what Kubernetes' pause does and nothing more: it holds the pod's
 * namespaces by staying alive, exits cleanly on SIGTERM/SIGINT (StopPodSandbox) and, being PID 1 of the pod's PID
 * namespace, reaps any child re-parented to it so no zombie outlives the pod.
 */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal_number)
{
    (void)signal_number;
    _exit(0);
}

static void reap(int signal_number)
{
    (void)signal_number;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void)
{
    struct sigaction on_stop = { .sa_handler = stop };
    struct sigaction on_child = { .sa_handler = reap, .sa_flags = SA_NOCLDSTOP | SA_RESTART };
    sigemptyset(&on_stop.sa_mask);
    sigemptyset(&on_child.sa_mask);
    if (sigaction(SIGINT, &on_stop, NULL) < 0 || sigaction(SIGTERM, &on_stop, NULL) < 0 || sigaction(SIGCHLD, &on_child, NULL) < 0) {
        return 1;
    }
    for (;;) {
        pause();
    }
}
