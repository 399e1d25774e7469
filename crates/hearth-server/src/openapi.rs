//! The OpenAPI 3.1 document of `/api/v1`, built from the route table with utoipa's model of
//! the specification: every route in [`crate::routes::ROUTES`] and nothing else.

use crate::routes::{Access, BodyKind, Kind, ROUTES, Route};
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, ObjectBuilder, OpenApiBuilder, PathItem,
    PathsBuilder, Required, ResponseBuilder, Type,
};

/// What a query or path parameter is, for the document.
fn describe(name: &str) -> (Type, &'static str) {
    match name {
        "since" => (
            Type::String,
            "Start of the window (inclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.",
        ),
        "until" => (
            Type::String,
            "End of the window (exclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.",
        ),
        "space" => (Type::String, "Only this space (its name or native id)."),
        "name" => (
            Type::String,
            "A name: metric keys (metrics), a person to find (people), the upload's file name (ingest).",
        ),
        "period" => (Type::String, "Period of series: week or month."),
        "limit" => (Type::Integer, "How many items to compute or list."),
        "role" => (Type::String, "Only this role: brand, member or bot."),
        "message" => (
            Type::Integer,
            "With sentiment: the store id of a message to score word by word.",
        ),
        "examples" => (Type::Integer, "Example messages per activity and person."),
        "min_messages" => (
            Type::Integer,
            "Only people with at least this many messages.",
        ),
        "days" => (
            Type::Integer,
            "Without since: the items of this many days before the end.",
        ),
        "queue" => (Type::String, "Only items routed to this queue."),
        "all" => (
            Type::Boolean,
            "Also items that are done, snoozed or unrouted.",
        ),
        "kind" => (Type::String, "Only this kind of item."),
        "assignee" => (Type::String, "Only items assigned to this person."),
        "state" => (
            Type::String,
            "Only items in this state: open, done or snoozed.",
        ),
        "mine" => (Type::Boolean, "Only items assigned to the caller."),
        "rate" => (
            Type::String,
            "The headline engagement rate's denominator: impressions, reach or followers.",
        ),
        "top" => (Type::Integer, "How many posts to list."),
        "stream" => (Type::String, "What to watch: mentions or messages."),
        "format" => (Type::String, "The export's format, or auto."),
        "next" => (
            Type::String,
            "Where to go after logging in (a path on this server).",
        ),
        "page" => (Type::Integer, "Page of a list answer, from 1."),
        "job" => (
            Type::Integer,
            "An upload being read: its progress, then what was read.",
        ),
        "done" => (Type::String, "A message to show after a form's change."),
        "error" => (Type::String, "Why a form's change was refused, to show."),
        "q" => (Type::String, "What to search for (2 characters at least)."),
        "per_page" => (Type::Integer, "Items per page (at most 1000)."),
        "id" => (Type::String, "The item's or person's id."),
        "action" => (Type::String, "done, snooze, assign, note or reopen."),
        "list" => (Type::String, "lapsed, helpers or introductions."),
        "metric" => (
            Type::String,
            "A metric name (GET /api/v1/explain lists them).",
        ),
        "subject" => (Type::String, "user:NAME or addr:IP."),
        _ => (Type::String, "See the route's summary."),
    }
}

fn operation(r: &Route) -> utoipa::openapi::path::Operation {
    let mut op = OperationBuilder::new()
        .summary(Some(r.summary))
        .description(Some(format!("Who may call it: {}.", r.access.as_str())))
        .operation_id(Some(format!(
            "{}_{}",
            r.method.to_lowercase(),
            r.path
                .trim_matches('/')
                .replace(['/', '{', '}', '.', '-'], "_")
        )))
        .tag(r.tag);
    for p in r.path_params() {
        let (t, d) = describe(p);
        op = op.parameter(
            ParameterBuilder::new()
                .name(p)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(d))
                .schema(Some(ObjectBuilder::new().schema_type(t))),
        );
    }
    for q in r.query_names() {
        let (t, d) = describe(q);
        op = op.parameter(
            ParameterBuilder::new()
                .name(q)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(d))
                .schema(Some(ObjectBuilder::new().schema_type(t))),
        );
    }
    if let Some(body) = r.body {
        let rb = match body {
            BodyKind::Fields(fields) => {
                let mut obj = ObjectBuilder::new().schema_type(Type::Object);
                for f in fields {
                    obj = obj.property(*f, ObjectBuilder::new().schema_type(Type::String));
                }
                let schema = obj.build();
                RequestBodyBuilder::new()
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(schema.clone())).build(),
                    )
                    .content(
                        "application/x-www-form-urlencoded",
                        ContentBuilder::new().schema(Some(schema)).build(),
                    )
            }
            BodyKind::Form => RequestBodyBuilder::new().content(
                "application/x-www-form-urlencoded",
                ContentBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::Object)))
                    .build(),
            ),
            BodyKind::Text => RequestBodyBuilder::new().content(
                "text/plain",
                ContentBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .build(),
            ),
            BodyKind::Upload => RequestBodyBuilder::new().content(
                if r.kind == Kind::Html {
                    "multipart/form-data"
                } else {
                    "application/octet-stream"
                },
                ContentBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String).format(
                        Some(utoipa::openapi::SchemaFormat::Custom("binary".into())),
                    )))
                    .build(),
            ),
        };
        op = op.request_body(Some(rb.required(Some(Required::True)).build()));
    }
    let media = match r.kind {
        Kind::Json => "application/json",
        Kind::Html => "text/html",
        Kind::Asset => "text/plain",
    };
    op = op.response(
        "200",
        ResponseBuilder::new()
            .description("The answer.")
            .content(media, ContentBuilder::new().build()),
    );
    let problem = || {
        ResponseBuilder::new()
            .description("A problem (RFC 9457).")
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                    .build(),
            )
    };
    op = op.response("400", problem());
    if r.access != Access::Public {
        op = op
            .response("401", problem())
            .response("403", problem())
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
            .security(SecurityRequirement::new("session", Vec::<String>::new()));
    }
    op.build()
}

/// The document, as JSON.
pub fn document() -> serde_json::Value {
    let mut paths = PathsBuilder::new();
    let mut done: Vec<&str> = Vec::new();
    for r in ROUTES {
        if done.contains(&r.path) {
            continue;
        }
        done.push(r.path);
        let mut item: Option<PathItem> = None;
        for x in ROUTES.iter().filter(|x| x.path == r.path) {
            let method = match x.method {
                "POST" => HttpMethod::Post,
                "DELETE" => HttpMethod::Delete,
                _ => HttpMethod::Get,
            };
            let op = operation(x);
            item = Some(match item {
                None => PathItem::new(method, op),
                Some(mut it) => {
                    match method {
                        HttpMethod::Post => it.post = Some(op),
                        HttpMethod::Delete => it.delete = Some(op),
                        _ => it.get = Some(op),
                    }
                    it
                }
            });
        }
        if let Some(item) = item {
            paths = paths.path(r.path, item);
        }
    }
    let problem = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("type", ObjectBuilder::new().schema_type(Type::String))
        .property("title", ObjectBuilder::new().schema_type(Type::String))
        .property("status", ObjectBuilder::new().schema_type(Type::Integer))
        .property("detail", ObjectBuilder::new().schema_type(Type::String))
        .property("instance", ObjectBuilder::new().schema_type(Type::String))
        .required("status")
        .required("detail");
    let components = ComponentsBuilder::new()
        .schema("Problem", problem)
        .security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        )
        .security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::guard::COOKIE))),
        )
        .build();
    let doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Hearth")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Does your brand have a community or an audience? The team server's API: \
                     the same answers as the hearth command line's --json.",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .build();
    serde_json::to_value(&doc).unwrap_or(serde_json::Value::Null)
}
