// qemu, debugfs and /proc make this a Linux-only test suite; one guest image serves every boot.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: AssemblyFixture(typeof(NetfilterExporter.Kernel.Tests.GuestImage))]
