//! `GET /api/docs`: the API for people, rendered on the server from the same OpenAPI document
//! as `/api/openapi.json`: every route with its parameters, an example body and its answers.
//! No script, nothing loaded from elsewhere.

use askama::Template;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use super::ApiDoc;
use crate::web::error::WebError;
use crate::web::layout::Chrome;

pub struct ParamRow {
    pub name: String,
    pub place: String,
    pub required: bool,
    pub kind: String,
    pub description: String,
}

pub struct RouteDoc {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<ParamRow>,
    pub example: Option<String>,
    pub responses: Vec<(String, String)>,
    pub public: bool,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "api_docs.html")]
pub struct DocsPage {
    chrome: Chrome,
    title: String,
    intro: String,
    routes: Vec<RouteDoc>,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// Nesting followed when making an example, so a schema that refers to itself ends.
const DEPTH: usize = 6;

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().trim().to_owned()
}

/// The schema a `$ref` points to, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            doc.pointer(&format!("/components/schemas/{name}")).unwrap_or(&Value::Null)
        }
        None => schema,
    }
}

/// The schema's type, preferring a non-null one (`["string", "null"]` is a string).
fn type_of(schema: &Value) -> String {
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => {
            types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_owned()
        }
        _ => String::new(),
    }
}

/// An example value for `schema`: its own example where it has one, else one made from its type.
fn example(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(given) = schema.get("example") {
        return given.clone();
    }
    if depth == 0 {
        return Value::Null;
    }
    for composite in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(composite)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|s| type_of(resolve(doc, s)) != "null"))
        {
            return example(doc, first, depth - 1);
        }
    }
    match type_of(schema).as_str() {
        "object" => {
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    object.insert(name.clone(), example(doc, property, depth - 1));
                }
            }
            Value::Object(object)
        }
        "array" => json!([example(doc, schema.get("items").unwrap_or(&Value::Null), depth - 1)]),
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2026-11-21T09:30:00Z"),
            _ => json!("string"),
        },
        "integer" => json!(0),
        "number" => json!(0.0),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

fn routes(doc: &Value) -> Vec<RouteDoc> {
    let mut routes = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return routes };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| ParamRow {
                    name: text(p, "name"),
                    place: text(p, "in"),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    kind: p.get("schema").map(|s| type_of(resolve(doc, s))).unwrap_or_default(),
                    description: text(p, "description"),
                })
                .collect();
            let body = op.pointer("/requestBody/content/application~1json/schema");
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(code, r)| (code.clone(), text(r, "description")))
                .collect();
            let security = op.get("security").and_then(Value::as_array);
            routes.push(RouteDoc {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor: format!("{method}{}", path.replace(['/', '{', '}', '.'], "-")),
                summary: text(op, "summary"),
                description: text(op, "description"),
                params,
                example: body.map(|s| serde_json::to_string_pretty(&example(doc, s, DEPTH)).unwrap_or_default()),
                responses,
                public: security.is_some_and(|s| s.iter().any(|entry| entry.as_object().is_some_and(Map::is_empty))),
            });
        }
    }
    routes
}

pub async fn page(chrome: Chrome) -> Result<DocsPage, WebError> {
    let doc = serde_json::to_value(ApiDoc::openapi()).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(DocsPage {
        chrome,
        title: text(&doc["info"], "title"),
        intro: text(&doc["info"], "description"),
        routes: routes(&doc),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_listed_and_bodies_get_examples() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let routes = routes(&doc);
        let find = |method: &str, path: &str| routes.iter().find(|r| r.method == method && r.path == path);
        let create = find("POST", "/api/sites").expect("POST /api/sites is documented");
        let example: Value = serde_json::from_str(create.example.as_deref().unwrap()).unwrap();
        assert!(example.get("url").is_some() && example.get("group").is_some(), "{example}");
        let note = find("POST", "/api/outages/{id}/notes").unwrap();
        assert!(note.example.as_deref().unwrap().contains("identified"));
        assert!(note.params.iter().any(|p| p.name == "id" && p.place == "path" && p.required));
        for (method, path) in
            [("GET", "/sites/{slug}/data.json"), ("GET", "/groups/{slug}/data.json"), ("GET", "/metrics")]
        {
            assert!(find(method, path).is_some(), "{method} {path}");
        }
        assert!(find("GET", "/status").unwrap().public);
        assert!(!create.public);
    }
}
