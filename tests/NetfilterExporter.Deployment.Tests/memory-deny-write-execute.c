/* Runs a command with PR_SET_MDWE (Linux 6.3+): no mapping of it or its children may become writable and
   executable, which is how systemd applies MemoryDenyWriteExecute=yes where the kernel supports it.
   Built by MemoryDenyWriteExecuteWrapper at test time. */
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif
int main(int argc, char **argv) {
  if (argc < 2) return 127;
  if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) { perror("prctl(PR_SET_MDWE)"); return 126; }
  execvp(argv[1], argv + 1);
  perror(argv[1]);
  return 127;
}
