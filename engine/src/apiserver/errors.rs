//! The apiserver's errors (`metav1.Status`), and the text kubectl prints for
//! each: `Error from server (NotFound): pods "x" not found`.

use crate::api::Resource;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 404
    NotFound { resource: String, name: String },
    /// 409, create of an existing name
    AlreadyExists { resource: String, name: String },
    /// 409, a stale resourceVersion
    Conflict { resource: String, name: String },
    /// 422, validation. `message` is the apiserver's `Status.message`
    /// (`Deployment.apps "x" is invalid: [a, b]`); `details` is what kubectl
    /// prints from instead (`The Deployment "x" is invalid: a`).
    Invalid {
        message: String,
        details: Option<StatusDetails>,
    },
    /// 400
    BadRequest { message: String },
    /// 403
    Forbidden { message: String },
    /// Any other status: 404 without a name, 409 with a reason, 410
    /// (`Expired`), 429 (`TooManyRequests`), 500.
    Status {
        code: u16,
        reason: &'static str,
        message: String,
    },
    /// 422 without details, as a failed JSON patch gives: kubectl prints
    /// `The request is invalid: the server rejected our request due to an
    /// error in our request`; `cause` is the patch library's error.
    InvalidRequest { cause: String },
}

/// The message of a 422 built by `NewGenericServerResponse`.
const GENERIC_422: &str = "the server rejected our request due to an error in our request";

/// `metav1.StatusDetails` of an Invalid error: the kind (without group),
/// the name and one cause per field error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusDetails {
    pub kind: String,
    pub name: String,
    pub causes: Vec<StatusCause>,
}

/// `metav1.StatusCause`: `field` is `spec.containers[0].name`, `message` the
/// error body (`Required value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCause {
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn not_found(r: &Resource, name: &str) -> Self {
        ApiError::NotFound {
            resource: r.qualified_plural(),
            name: name.to_string(),
        }
    }
    pub fn already_exists(r: &Resource, name: &str) -> Self {
        ApiError::AlreadyExists {
            resource: r.qualified_plural(),
            name: name.to_string(),
        }
    }
    pub fn conflict(r: &Resource, name: &str) -> Self {
        ApiError::Conflict {
            resource: r.qualified_plural(),
            name: name.to_string(),
        }
    }

    /// The HTTP status code.
    pub fn code(&self) -> u16 {
        match self {
            ApiError::NotFound { .. } => 404,
            ApiError::AlreadyExists { .. } | ApiError::Conflict { .. } => 409,
            ApiError::Invalid { .. } => 422,
            ApiError::BadRequest { .. } => 400,
            ApiError::Forbidden { .. } => 403,
            ApiError::Status { code, .. } => *code,
            ApiError::InvalidRequest { .. } => 422,
        }
    }

    /// `metav1.Status.reason`.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::BadRequest { .. } => "BadRequest",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::Status { reason, .. } => reason,
            ApiError::InvalidRequest { .. } => "Invalid",
        }
    }

    /// `metav1.Status.message`.
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
            ApiError::AlreadyExists { resource, name } => format!("{resource} \"{name}\" already exists"),
            ApiError::Conflict { resource, name } => format!(
                "Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
            ),
            ApiError::Invalid { message, .. } | ApiError::BadRequest { message } | ApiError::Forbidden { message } | ApiError::Status { message, .. } => message.clone(),
            ApiError::InvalidRequest { .. } => GENERIC_422.to_string(),
        }
    }

    /// What kubectl prints for it. Invalid errors with details are printed
    /// from the causes, as kubectl's `CheckErr` does: one cause on the same
    /// line, several as a `* ` list under `The Pod "x" is invalid: `.
    pub fn kubectl_text(&self) -> String {
        if let ApiError::Invalid {
            details: Some(d), ..
        } = self
        {
            let head = format!("The {} \"{}\" is invalid: ", d.kind, d.name);
            return match d.causes.as_slice() {
                [] => format!("{head}{}", self.message()),
                [one] => format!("{head}{}: {}", one.field, one.message),
                many => {
                    let mut out = head;
                    for c in many {
                        out.push_str(&format!("\n* {}: {}", c.field, c.message));
                    }
                    out
                }
            };
        }
        if let ApiError::InvalidRequest { .. } = self {
            return format!("The request is invalid: {GENERIC_422}");
        }
        if self.reason().is_empty() {
            // StatusReasonUnknown (a plain error the apiserver wrapped).
            return format!("Error from server: {}", self.message());
        }
        format!("Error from server ({}): {}", self.reason(), self.message())
    }

    /// `the server could not find the requested resource` (404).
    pub fn not_found_plain() -> Self {
        ApiError::Status {
            code: 404,
            reason: "NotFound",
            message: "the server could not find the requested resource".into(),
        }
    }

    /// `Operation cannot be fulfilled on pods/binding "x": detail` (409).
    pub fn conflict_with(resource: &str, name: &str, detail: &str) -> Self {
        ApiError::Status {
            code: 409,
            reason: "Conflict",
            message: format!("Operation cannot be fulfilled on {resource} \"{name}\": {detail}"),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.kubectl_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::resolve;

    #[test]
    fn kubectl_texts() {
        let pods = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
        let deploy = resolve("deploy")
            .copied()
            .unwrap_or_else(|| panic!("deploy"));
        assert_eq!(
            ApiError::not_found(&pods, "x").kubectl_text(),
            r#"Error from server (NotFound): pods "x" not found"#
        );
        assert_eq!(
            ApiError::already_exists(&deploy, "web").kubectl_text(),
            r#"Error from server (AlreadyExists): deployments.apps "web" already exists"#
        );
        assert_eq!(
            ApiError::conflict(&pods, "x").kubectl_text(),
            r#"Error from server (Conflict): Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again"#
        );
    }
}
