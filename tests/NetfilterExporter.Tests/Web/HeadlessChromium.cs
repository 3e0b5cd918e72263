using Microsoft.Playwright;

namespace NetfilterExporter.Tests.Web;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) driven by Playwright; Playwright never downloads a browser of its own here.
/// Each instance has its own fresh user-data directory. Disposing it closes the browser and Playwright's driver, then
/// ends any process still running from that directory (found by its PID, the directory being this instance's alone)
/// and removes the directory, also after a failed test.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps trying hosts this machine's closed network refuses.
    private static readonly string[] Arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright playwright;
    private readonly IBrowserContext context;
    private readonly TemporaryDirectory userData;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, TemporaryDirectory userData)
    {
        this.playwright = playwright;
        this.context = context;
        this.userData = userData;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new PrerequisiteMissingException(
                $"this test needs Debian's Chromium at {ExecutablePath}: apt-get install chromium (scripts/test.sh installs it when run as root)");
        }
        var userData = new TemporaryDirectory("nfx-chromium-");
        IPlaywright? playwright = null;
        try
        {
            playwright = await Playwright.CreateAsync();
            var context = await playwright.Chromium.LaunchPersistentContextAsync(userData.Path, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, context, userData);
        }
        catch
        {
            playwright?.Dispose();
            await EndProcessesOfAsync(userData.Path);
            userData.Dispose();
            throw;
        }
    }

    /// <summary>A new tab <paramref name="width"/> CSS pixels wide, showing <paramref name="url"/> once it has loaded.</summary>
    public async Task<IPage> OpenAsync(Uri url, int width)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        var response = await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.True(response is { Ok: true }, $"GET {url} answered {response?.Status}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await context.CloseAsync();
        }
        finally
        {
            playwright.Dispose();
            await EndProcessesOfAsync(userData.Path);
            userData.Dispose();
        }
    }

    /// <summary>
    /// Kills, by PID, every process whose command line names <paramref name="directory"/> (Chromium's browser,
    /// renderers and helpers): the directory is this instance's alone, so each one is provably ours.
    /// </summary>
    private static async Task EndProcessesOfAsync(string directory)
    {
        foreach (var (processId, _) in HostScan.ProcessesMentioning(directory))
        {
            ProcessSignal.Send(processId, ProcessSignal.Kill);
        }
        await Poll.UntilAsync($"Chromium's processes of {directory} to end", TimeSpan.FromSeconds(10), () => HostScan.ProcessesMentioning(directory).Count == 0);
    }
}
