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
    /// 422, validation; `message` is the apiserver's whole text after the
    /// `(Invalid): ` prefix.
    Invalid { message: String },
    /// 400
    BadRequest { message: String },
    /// 403
    Forbidden { message: String },
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
            ApiError::Invalid { message } | ApiError::BadRequest { message } | ApiError::Forbidden { message } => message.clone(),
        }
    }

    /// What kubectl prints for it.
    pub fn kubectl_text(&self) -> String {
        format!("Error from server ({}): {}", self.reason(), self.message())
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
