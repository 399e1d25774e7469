//! Errors as JSON problem details (RFC 9457): `application/problem+json` with `type`,
//! `title`, `status`, `detail` and the request path as `instance`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_app::AppError;

/// A problem to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: StatusCode,
    /// A short slug naming the kind of problem (`not-found`, `csrf`, …).
    pub kind: &'static str,
    pub detail: String,
    pub instance: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            kind,
            detail: detail.into(),
            instance: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    pub fn unauthorized() -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "login-required",
            "log in (POST /login) or send Authorization: Bearer TOKEN",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    pub fn internal(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    pub fn at(mut self, path: &str) -> Problem {
        self.instance = Some(path.to_owned());
        self
    }

    pub fn body(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "type": format!("/api/v1/problems#{}", self.kind),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let Some(i) = &self.instance {
            v["instance"] = serde_json::Value::String(i.clone());
        }
        v
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        let detail = e.to_string();
        match e {
            AppError::Invalid(_) => Problem::bad_request(detail),
            AppError::NotFound(_) => Problem::not_found(detail),
            AppError::Forbidden(_) => Problem::forbidden(detail),
            AppError::Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail),
            AppError::Publish(_) => Problem::new(StatusCode::BAD_GATEWAY, "network", detail),
            AppError::NoStore { .. } => {
                Problem::new(StatusCode::SERVICE_UNAVAILABLE, "no-store", detail)
            }
            AppError::Config { .. } => {
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "config", detail)
            }
            _ => {
                tracing::error!(error = %detail, "request failed");
                Problem::internal(detail)
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec_pretty(&self.body()).unwrap_or_default();
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"hearth\""),
            );
        }
        r
    }
}
