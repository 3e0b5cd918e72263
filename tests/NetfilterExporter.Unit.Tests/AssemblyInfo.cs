// Network namespaces, iptables and /proc make this a Linux-only test suite.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
