// Rejects a configuration the generated files would silently be wrong with, naming the field, the value
// and where it came from (`origin`: the --config file, or the mixin's own config.libsonnet).
local known = ['netfilterExporterSelector', 'runbookURLBase'];

function(config, origin)
  local fail(message) = error 'mixin config (%s): %s' % [origin, message];
  local unknown = [field for field in std.objectFields(config) if !std.member(known, field)];
  local selector = config.netfilterExporterSelector;
  local base = config.runbookURLBase;
  if std.length(unknown) > 0 then
    fail('unknown field %s; the known fields are %s' % [std.join(', ', unknown), std.join(', ', known)])
  else if !std.isString(selector) || std.length(std.stripChars(selector, ' ')) == 0 then
    fail('netfilterExporterSelector must be a non-empty string of label matchers such as \'job="netfilter-exporter"\', got %s' % std.manifestJson(selector))
  // The selector is pasted between the braces of selectors like {%s,backend="nftables"}.
  else if std.length(std.findSubstr('{', selector)) > 0 || std.length(std.findSubstr('}', selector)) > 0 then
    fail('netfilterExporterSelector is the matchers without braces (\'job="x"\', not \'{job="x"}\'), got %s' % std.manifestJson(selector))
  else if std.endsWith(std.rstripChars(selector, ' '), ',') then
    fail('netfilterExporterSelector must not end with a comma, got %s' % std.manifestJson(selector))
  else if !std.isString(base) || !(std.startsWith(base, 'https://') || std.startsWith(base, 'http://')) then
    fail('runbookURLBase must be an http(s) URL, got %s' % std.manifestJson(base))
  else if !std.endsWith(base, '/') then
    fail('runbookURLBase must end with "/" (links are base + "<AlertName>.md"), got %s' % std.manifestJson(base))
  else if std.length(std.findSubstr(' ', base)) > 0 || std.length(std.findSubstr('"', base)) > 0 then
    fail('runbookURLBase must not contain spaces or quotes, got %s' % std.manifestJson(base))
  else
    true
