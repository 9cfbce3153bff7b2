//! The Lua scripts behind every checked write. Each runs atomically on the
//! server and answers `{1, ...}` (applied, with what undo needs to know),
//! `{0}` or `{0, current}` (the check failed, nothing written) or `{-1}` (the
//! key is gone). Writes to a field, element or member never touch the key's
//! TTL. A delete that empties the key (Redis then removes it) answers
//! `{1, pttl}` with the TTL the key had, `{1, false}` otherwise.

/// String set: KEYS[1]; ARGV: sha1hex of the seen value, new value, TTL
/// (`keep`, `persist` or milliseconds). Answers `{1, pttl}` with the TTL before.
pub const STRING_SET: &str = r#"
local cur = redis.call('GET', KEYS[1])
if not cur then return {-1} end
if redis.sha1hex(cur) ~= ARGV[1] then return {0, cur} end
local ttl = redis.call('PTTL', KEYS[1])
if ARGV[3] == 'keep' then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
elseif ARGV[3] == 'persist' then redis.call('SET', KEYS[1], ARGV[2])
else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return {1, ttl}
"#;

/// Hash field set or add: ARGV: field, `1` if a value was seen (`0`: the
/// field must be absent), the seen value, the new value.
pub const HASH_SET: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  if cur ~= ARGV[3] then if cur then return {0, cur} end return {0} end
elseif cur then return {0, cur} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
return {1}
"#;

/// Hash field delete: ARGV: field, seen value.
pub const HASH_DELETE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur ~= ARGV[2] then if cur then return {0, cur} end return {0} end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return {1, ttl} end
return {1, false}
"#;

/// List element set: ARGV: index, seen element, new element.
pub const LIST_SET: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local cur = redis.call('LINDEX', KEYS[1], ARGV[1])
if cur ~= ARGV[2] then if cur then return {0, cur} end return {0} end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
return {1}
"#;

/// List insert next to the element at an index: ARGV: index, seen element,
/// `BEFORE` or `AFTER`, new element. LINSERT finds its pivot by value, so the
/// element at the index is swapped for a marker no value holds, the new
/// element goes next to the marker, and the marker is swapped back.
/// `BEFORE` and `AFTER` must be upper case. Answers `{1, index}` with the new
/// element's index from the head.
pub const LIST_INSERT: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local i = tonumber(ARGV[1])
local cur = redis.call('LINDEX', KEYS[1], i)
if cur ~= ARGV[2] then if cur then return {0, cur} end return {0} end
local marker = '\0upstash-tui\0' .. redis.sha1hex(ARGV[4] .. cur)
redis.call('LSET', KEYS[1], i, marker)
redis.call('LINSERT', KEYS[1], ARGV[3], marker, ARGV[4])
if i < 0 then i = redis.call('LLEN', KEYS[1]) - 1 + i end
local at = i
if ARGV[3] == 'BEFORE' then at = i + 1 end
redis.call('LSET', KEYS[1], at, cur)
if ARGV[3] == 'BEFORE' then return {1, i} end
return {1, i + 1}
"#;

/// List push at the head (`LPUSH`) or tail (`RPUSH`): ARGV: the command, element.
pub const LIST_PUSH: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
redis.call(ARGV[1], KEYS[1], ARGV[2])
return {1}
"#;

/// List remove of the element at an index: ARGV: index, seen element. The
/// element is swapped for a marker first, so LREM count 1 removes exactly it.
/// Answers `{1, false, index, before, after}`: the removed element's index
/// from the head and its neighbours now (false at an end), so undo can put it
/// back between them.
pub const LIST_REMOVE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local cur = redis.call('LINDEX', KEYS[1], ARGV[1])
if cur ~= ARGV[2] then if cur then return {0, cur} end return {0} end
local i = tonumber(ARGV[1])
if i < 0 then i = redis.call('LLEN', KEYS[1]) + i end
local ttl = redis.call('PTTL', KEYS[1])
local marker = '\0upstash-tui\0' .. redis.sha1hex(cur)
redis.call('LSET', KEYS[1], i, marker)
redis.call('LREM', KEYS[1], 1, marker)
if redis.call('EXISTS', KEYS[1]) == 0 then return {1, ttl} end
local before = false
if i > 0 then before = redis.call('LINDEX', KEYS[1], i - 1) end
return {1, false, i, before, redis.call('LINDEX', KEYS[1], i)}
"#;

/// Set add (conflict if the member is already there): ARGV: member.
pub const SET_ADD: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return {0, ARGV[1]} end
return {1}
"#;

/// Set remove (conflict if the member is gone): ARGV: member.
pub const SET_REMOVE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local ttl = redis.call('PTTL', KEYS[1])
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return {0} end
if redis.call('EXISTS', KEYS[1]) == 0 then return {1, ttl} end
return {1, false}
"#;

/// Sorted-set write: ARGV: member, `1` if a score was seen (`0`: the member
/// must be absent), seen score, new score (empty: remove the member).
pub const ZSET_WRITE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local cur = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  if not cur or tonumber(cur) ~= tonumber(ARGV[3]) then
    if cur then return {0, cur} end return {0}
  end
elseif cur then return {0, cur} end
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
  return {1}
end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return {1, ttl} end
return {1, false}
"#;

/// Stream add: ARGV: id (`*` for a new one), then field, value pairs.
pub const STREAM_ADD: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
return {1, redis.call('XADD', KEYS[1], unpack(ARGV))}
"#;

/// Stream entry delete (conflict if the entry is gone): ARGV: id. Answers
/// `{1, fields}` with the entry's field, value list.
pub const STREAM_DELETE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entry == 0 then return {0} end
redis.call('XDEL', KEYS[1], ARGV[1])
return {1, entry[1][2]}
"#;

/// Stream entry put back under its own id (undo of a delete): ARGV: id, the
/// most later entries to move, then field, value pairs. XADD only appends
/// after the stream's last id, so the entries after it are taken out, the
/// last id is set back to the entry before, the entry and those after it are
/// added again in order with their ids, and the last id and the count of
/// entries ever added are set back. Answers `{0, id}` when an entry has the
/// id again and `{-2}` when more entries follow it than may be moved.
pub const STREAM_RESTORE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) > 0 then return {0, ARGV[1]} end
local cap = tonumber(ARGV[2])
local later = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', cap + 1)
if #later > cap then return {-2} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last, added
for i = 1, #info - 1, 2 do
  if info[i] == 'last-generated-id' then last = info[i + 1] end
  if info[i] == 'entries-added' then added = info[i + 1] end
end
for _, e in ipairs(later) do redis.call('XDEL', KEYS[1], e[1]) end
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #top > 0 then redis.call('XSETID', KEYS[1], top[1][1])
else redis.call('XSETID', KEYS[1], '0-0') end
redis.call('XADD', KEYS[1], ARGV[1], unpack(ARGV, 3))
for _, e in ipairs(later) do redis.call('XADD', KEYS[1], e[1], unpack(e[2])) end
if added then redis.call('XSETID', KEYS[1], last, 'ENTRIESADDED', added)
else redis.call('XSETID', KEYS[1], last) end
return {1}
"#;

/// ReJSON set at a path: ARGV: path, `1` if a value was seen, the seen
/// `JSON.GET key path` text, the new JSON text. Answers `{1, before, after}`
/// with the whole document before and after.
pub const JSON_SET: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local cur = redis.call('JSON.GET', KEYS[1], ARGV[1])
if ARGV[2] == '1' and cur ~= ARGV[3] then if cur then return {0, cur} end return {0} end
local before = redis.call('JSON.GET', KEYS[1])
redis.call('JSON.SET', KEYS[1], ARGV[1], ARGV[4])
return {1, before, redis.call('JSON.GET', KEYS[1])}
"#;

/// Create a key with its first value, field or member: ARGV: type,
/// `1` to overwrite, TTL in milliseconds (`0`: none), then the value parts.
/// Answers `{1}` or `{0, type}` when the key exists and may not be replaced.
pub const CREATE: &str = r#"
local t = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[2] ~= '1' then return {0, redis.call('TYPE', KEYS[1])['ok']} end
  redis.call('DEL', KEYS[1])
end
if t == 'string' then redis.call('SET', KEYS[1], ARGV[4])
elseif t == 'hash' then redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
elseif t == 'list' then redis.call('RPUSH', KEYS[1], ARGV[4])
elseif t == 'set' then redis.call('SADD', KEYS[1], ARGV[4])
elseif t == 'zset' then redis.call('ZADD', KEYS[1], ARGV[5], ARGV[4])
elseif t == 'stream' then redis.call('XADD', KEYS[1], '*', unpack(ARGV, 4))
elseif t == 'json' then redis.call('JSON.SET', KEYS[1], '$', ARGV[4])
else return redis.error_reply('ERR unknown key type ' .. t) end
if ARGV[3] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1}
"#;
