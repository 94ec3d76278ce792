//! Field errors, as apimachinery's `util/validation/field` has them: the
//! text of each error type, how a bad value is printed (Go's `%q`, `%v` or
//! `%#v`), and how a list of them becomes the apiserver's 422 message
//! (`Pod "x" is invalid: [a, b]`) and kubectl's (`The Pod "x" is invalid: a`).

use super::errors::{ApiError, StatusCause, StatusDetails};
use serde_json::Value;

/// The bad value of an error, already in the form Go's formatter prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadValue {
    /// Not printed (Required, Forbidden, TooLong).
    Omit,
    /// `%q`: `"My_Pod"`.
    Str(String),
    /// `%v` of a number or bool: `70000`, `true`.
    Plain(String),
    /// `%#v`, pre-rendered: `map[string]string{"app":"x"}`.
    GoSyntax(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // TooLong/TooMany: kept for the validators still to come.
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
}

impl ErrorType {
    fn text(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
        }
    }
}

/// One `field.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub kind: ErrorType,
    pub field: String,
    pub value: BadValue,
    pub detail: String,
}

impl FieldError {
    pub fn required(field: &str, detail: &str) -> Self {
        Self::new(ErrorType::Required, field, BadValue::Omit, detail)
    }
    pub fn forbidden(field: &str, detail: &str) -> Self {
        Self::new(ErrorType::Forbidden, field, BadValue::Omit, detail)
    }
    pub fn invalid(field: &str, value: BadValue, detail: &str) -> Self {
        Self::new(ErrorType::Invalid, field, value, detail)
    }
    pub fn duplicate(field: &str, value: BadValue) -> Self {
        Self::new(ErrorType::Duplicate, field, value, "")
    }
    pub fn not_found(field: &str, value: BadValue) -> Self {
        Self::new(ErrorType::NotFound, field, value, "")
    }
    /// `Unsupported value: "x": supported values: "A", "B"`.
    pub fn not_supported(field: &str, value: BadValue, supported: &[&str]) -> Self {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| crate::go::quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(ErrorType::NotSupported, field, value, &detail)
    }
    pub fn new(kind: ErrorType, field: &str, value: BadValue, detail: &str) -> Self {
        FieldError {
            kind,
            field: field.to_string(),
            value,
            detail: detail.to_string(),
        }
    }

    /// `ErrorBody`: the text after `field: `.
    pub fn body(&self) -> String {
        let mut s = match (&self.kind, &self.value) {
            (ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong, _)
            | (_, BadValue::Omit) => self.kind.text().to_string(),
            (_, BadValue::Str(v)) => format!("{}: {}", self.kind.text(), crate::go::quote(v)),
            (_, BadValue::Plain(v) | BadValue::GoSyntax(v)) => {
                format!("{}: {}", self.kind.text(), v)
            }
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// `errors.NewInvalid(qualifiedKind, name, errs)`: duplicates (same text)
/// dropped, one error as itself, several as `[a, b]`.
pub fn invalid(kind: &str, group: &str, name: &str, errs: &[FieldError]) -> ApiError {
    let mut seen: Vec<String> = Vec::new();
    let mut causes = Vec::new();
    for e in errs {
        let text = e.to_string();
        if seen.contains(&text) {
            continue;
        }
        seen.push(text);
        causes.push(StatusCause {
            field: e.field.clone(),
            message: e.body(),
        });
    }
    let agg = match seen.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    let qualified = if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    };
    ApiError::Invalid {
        message: format!("{qualified} {} is invalid: {agg}", crate::go::quote(name)),
        details: Some(StatusDetails {
            kind: kind.to_string(),
            name: name.to_string(),
            causes,
        }),
    }
}

/// `%#v` of a `map[string]string` (keys sorted, as Go prints maps).
pub fn go_string_map(v: Option<&Value>) -> String {
    let Some(map) = v.and_then(Value::as_object) else {
        return "map[string]string(nil)".to_string();
    };
    let mut pairs: Vec<(&String, String)> = map
        .iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect();
    crate::sort::sort(&mut pairs);
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", crate::go::quote(k), crate::go::quote(v)))
        .collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

/// `%#v` of a `[]string`.
pub fn go_string_slice(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| crate::go::quote(s)).collect();
    format!("[]string{{{}}}", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_and_aggregates() {
        let errs = [
            FieldError::required("spec.containers", ""),
            FieldError::invalid(
                "spec.template.metadata.labels",
                BadValue::GoSyntax(go_string_map(Some(&json!({"b": "2", "a": "1"})))),
                "`selector` does not match template `labels`",
            ),
            FieldError::not_supported(
                "spec.template.spec.restartPolicy",
                BadValue::Str("Always".into()),
                &["OnFailure", "Never"],
            ),
            FieldError::required("spec.containers", ""),
        ];
        let err = invalid("Deployment", "apps", "web", &errs);
        expect_test::expect![[r#"
            Deployment.apps "web" is invalid: [spec.containers: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"a":"1", "b":"2"}: `selector` does not match template `labels`, spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"]"#]]
        .assert_eq(&err.message());
        expect_test::expect![[r#"
            The Deployment "web" is invalid: 
            * spec.containers: Required value
            * spec.template.metadata.labels: Invalid value: map[string]string{"a":"1", "b":"2"}: `selector` does not match template `labels`
            * spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#]]
        .assert_eq(&err.kubectl_text());
        let one = invalid("Pod", "", "x", &errs[..1]);
        assert_eq!(
            one.kubectl_text(),
            r#"The Pod "x" is invalid: spec.containers: Required value"#
        );
        assert_eq!(
            one.message(),
            r#"Pod "x" is invalid: spec.containers: Required value"#
        );
    }
}
