// Writes a Prometheus rule file that people read: folded descriptions instead of one-line JSON strings,
// and each rule's hidden `comment` field (why it waits as long as it does) as YAML comments above it.
// std.manifestYamlDoc would lose the comments and quote every long string on a single line.
local width = 120;
local all(xs) = std.foldl(function(acc, x) acc && x, xs, true);

// Text written over several lines in the sources, joined the way a YAML folded scalar joins them.
local folded(lines) = std.join(' ', lines);

local reserved = ['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~'];
local indicators = '-?:,[]{}#&*!|>\'"%@` ';

local plainSafe(s) =
  std.length(s) > 0
  && std.length(std.findSubstr(s[0], indicators)) == 0
  && std.length(std.findSubstr(': ', s)) == 0
  && std.length(std.findSubstr(' #', s)) == 0
  && !std.endsWith(s, ':') && !std.endsWith(s, ' ')
  && all([c >= ' ' && c != '\u007f' for c in std.stringChars(s)])
  && !std.member(reserved, std.asciiLower(s))
  // Numbers would come back as numbers.
  && !all([std.member('0123456789.+-eE_', c) for c in std.stringChars(s)]);

// A folded block keeps the value exactly when no line starts or ends with a space, which holds when the
// value has no leading or trailing space and is broken only at single spaces.
local foldable(s) =
  std.length(s) > 0 && s[0] != ' ' && s[std.length(s) - 1] != ' '
  && all([c >= ' ' && c != '\u007f' for c in std.stringChars(s)]);

local wrap(s, room) =
  local tokens = std.split(s, ' ');
  std.foldl(
    function(lines, token)
      local last = lines[std.length(lines) - 1];
      if std.length(lines) == 1 && last == null then [token]
      else if token != '' && !std.endsWith(last, ' ') && std.length(last) + 1 + std.length(token) > room
      then lines + [token]
      else lines[:std.length(lines) - 1] + [last + ' ' + token],
    tokens,
    [null]
  );

local scalar(value, indent) =
  assert std.isString(value) : 'rule file: expected a string, got %s' % std.manifestJson(value);
  local pad = std.repeat(' ', indent);
  // A value without spaces cannot be folded shorter, so a long URL stays on the key's line.
  if plainSafe(value) && (indent + std.length(value) <= width || std.length(std.findSubstr(' ', value)) == 0) then value
  else if foldable(value) then
    '>-\n' + std.join('\n', [pad + '  ' + line for line in wrap(value, width - indent - 2)])
  else std.escapeStringJson(value);

local mapping(map, order, indent) =
  local pad = std.repeat(' ', indent);
  local keys = [k for k in order if std.objectHas(map, k)]
               + std.sort([k for k in std.objectFields(map) if !std.member(order, k)]);
  [pad + key + ': ' + scalar(map[key], indent) for key in keys];

local ruleOrder = ['alert', 'record', 'expr', 'for', 'keep_firing_for'];

local rule(r) =
  local comment = if std.objectHasAll(r, 'comment') then [if line == '' then '        #' else '        # ' + line for line in r.comment] else [];
  local head = mapping({ [k]: r[k] for k in ['alert', 'record'] if std.objectHas(r, k) }, ruleOrder, 8);
  ['      - ' + head[0][8:]] + head[1:] + comment
  + mapping({ [k]: r[k] for k in std.objectFields(r) if !std.member(['alert', 'record', 'labels', 'annotations'], k) }, ruleOrder, 8)
  + (if std.objectHas(r, 'labels') then ['        labels:'] + mapping(r.labels, [], 10) else [])
  + (if std.objectHas(r, 'annotations') then ['        annotations:'] + mapping(r.annotations, ['summary', 'description', 'runbook_url'], 10) else []);

local group(g) =
  ['  - name: ' + scalar(g.name, 4)]
  + mapping({ [k]: g[k] for k in std.objectFields(g) if !std.member(['name', 'rules'], k) }, [], 4)
  + ['    rules:']
  + std.flattenArrays([rule(r) for r in g.rules]);

{
  folded:: folded,
  // header: comment lines without '# '; groups: prometheusAlerts.groups.
  manifest(header, groups)::
    std.join('\n', [if line == '' then '#' else '# ' + line for line in header] + ['groups:'] + std.flattenArrays([group(g) for g in groups])) + '\n',
}
