// The exporter reads Linux netfilter, procfs and sysfs; it never runs elsewhere, so Linux-only APIs (OpenSSL
// cipher-suite policies) need no platform guards.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
