//! Server facts: DBSIZE and INFO (plain `INFO`, whose default sections hold
//! keyspace, memory and stats on Redis), parsed as far as the server answers.

/// The fields of the memory and stats sections worth showing, in display order.
pub const SHOWN: [&str; 8] = [
    "used_memory_human",
    "maxmemory_human",
    "used_memory_peak_human",
    "total_commands_processed",
    "instantaneous_ops_per_sec",
    "keyspace_hits",
    "keyspace_misses",
    "expired_keys",
];

/// One database line of the keyspace section (`db0:keys=1,expires=0,avg_ttl=0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyspace {
    pub db: String,
    pub keys: u64,
    pub expires: u64,
}

/// What the server told about itself; empty parts were not answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub dbsize: Option<i64>,
    /// `(section, [(field, value)])` in the server's order, section names lower-case.
    pub sections: Vec<(String, Vec<(String, String)>)>,
    /// Why DBSIZE or INFO could not be read, if so.
    pub error: Option<String>,
}

impl Facts {
    /// Parses an INFO reply into [`Facts::sections`], keeping what was there.
    pub fn parse_info(&mut self, text: &str) {
        self.sections.clear();
        for line in text.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix('#') {
                self.sections
                    .push((name.trim().to_ascii_lowercase(), Vec::new()));
            } else if let Some((k, v)) = line.split_once(':') {
                if self.sections.is_empty() {
                    self.sections.push((String::new(), Vec::new()));
                }
                if let Some((_, fields)) = self.sections.last_mut() {
                    fields.push((k.to_string(), v.to_string()));
                }
            }
        }
    }

    /// The value of an INFO field from any section.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.sections
            .iter()
            .flat_map(|(_, f)| f)
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }

    /// The shown fields that the server answered, in display order.
    pub fn shown(&self) -> Vec<(&'static str, &str)> {
        SHOWN
            .iter()
            .filter_map(|f| self.get(f).map(|v| (*f, v)))
            .collect()
    }

    /// The keyspace section's databases.
    pub fn keyspace(&self) -> Vec<Keyspace> {
        let Some((_, fields)) = self.sections.iter().find(|(s, _)| s == "keyspace") else {
            return Vec::new();
        };
        fields
            .iter()
            .map(|(db, v)| {
                let num = |name: &str| {
                    v.split(',')
                        .filter_map(|p| p.split_once('='))
                        .find(|(k, _)| *k == name)
                        .and_then(|(_, n)| n.parse().ok())
                        .unwrap_or(0)
                };
                Keyspace {
                    db: db.clone(),
                    keys: num("keys"),
                    expires: num("expires"),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_sections_fields_and_keyspace() {
        let text = "# Memory\r\nused_memory:1024\r\nused_memory_human:1.00K\r\n\r\n\
                    # Stats\r\nkeyspace_hits:7\r\n# Keyspace\r\ndb0:keys=12,expires=3,avg_ttl=5\r\n";
        let mut f = Facts::default();
        f.parse_info(text);
        assert_eq!(f.sections.len(), 3);
        assert_eq!(f.sections[0].0, "memory");
        assert_eq!(f.get("used_memory_human"), Some("1.00K"));
        assert_eq!(
            f.shown(),
            vec![("used_memory_human", "1.00K"), ("keyspace_hits", "7")]
        );
        assert_eq!(
            f.keyspace(),
            vec![Keyspace {
                db: "db0".into(),
                keys: 12,
                expires: 3
            }]
        );
    }

    #[test]
    fn partial_or_odd_answers_are_kept_as_far_as_they_go() {
        let mut f = Facts::default();
        f.parse_info("keys:5\nnonsense line\n# Keyspace\ndb0:weird");
        assert_eq!(f.get("keys"), Some("5"));
        assert_eq!(f.keyspace()[0].keys, 0);
        f.parse_info("");
        assert!(f.sections.is_empty() && f.keyspace().is_empty());
    }
}
