//! An import file's tree, read from JSON, YAML or TOML alike. TOML and YAML can spell NaN and
//! infinities, which a JSON tree would silently turn into `null`; they are refused here with
//! the reader's own position in the file instead.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON-shaped tree in which every number is finite.
pub struct Document(pub Value);

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Document, D::Error> {
        deserializer.deserialize_any(Finite).map(Document)
    }
}

struct Finite;

impl<'de> Visitor<'de> for Finite {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom(format!("{v} is not a finite number")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(Finite)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Document(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some((key, Document(value))) = map.next_entry::<String, Document>()? {
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_numbers_are_refused_in_every_syntax() {
        let err = toml::from_str::<Document>("[[sites]]\nurl = \"https://a.example/\"\ninterval_secs = nan\n")
            .err()
            .expect("NaN is refused");
        assert!(err.to_string().contains("not a finite number"), "{err}");
        let err = yaml_serde::from_str::<Document>("sites:\n  - url: https://a.example/\n    interval_secs: .inf\n")
            .err()
            .expect("infinity is refused");
        assert!(err.to_string().contains("not a finite number"), "{err}");
        let Document(value) = toml::from_str("a = 1.5\nb = [1, \"x\"]\n").unwrap();
        assert_eq!(value, serde_json::json!({"a": 1.5, "b": [1, "x"]}));
    }
}
