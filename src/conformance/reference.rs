//! [`Reference`]: org-handshake itself as an [`Implementation`] of the vector format.

use serde_json::Value;

use super::{Implementation, Step, World};

/// org-handshake itself as an [`Implementation`]: a provider [`Service`](crate::provider::Service)
/// over a fresh ledger per file, for the built-in providers and any dialect added with
/// [`with_dialect`](Self::with_dialect).
///
/// ```
/// use org_handshake::conformance::{replay, Reference, VectorFile};
/// let file = VectorFile::parse(r#"{"format": "org-handshake-vectors/1", "id": "aws-x", "description": "d",
///   "provider": "aws", "steps": []}"#)?;
/// assert!(replay(&file, &mut Reference::default())?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Reference {
    service: Option<crate::provider::Service>,
    dialects: Vec<&'static dyn crate::provider::Dialect>,
}

impl Reference {
    /// The same runner, also speaking `dialect` (a provider outside the built-in registry),
    /// for files whose `provider` is its name.
    pub fn with_dialect(mut self, dialect: &'static dyn crate::provider::Dialect) -> Self {
        self.dialects.push(dialect);
        self
    }

    /// The dialect named `name`: a built-in provider's, else one added with
    /// [`with_dialect`](Self::with_dialect).
    fn dialect(&self, name: &str) -> Option<&'static dyn crate::provider::Dialect> {
        crate::provider::Provider::values()
            .iter()
            .map(|provider| provider.dialect())
            .chain(self.dialects.iter().copied())
            .find(|dialect| dialect.name() == name)
    }
}

impl Implementation for Reference {
    fn reset(&mut self, provider: &str, world: &World) -> Result<(), String> {
        let dialect = self
            .dialect(provider)
            .ok_or_else(|| format!("no dialect named `{provider}`"))?;
        self.service = Some(
            crate::provider::Service::with_dialect(dialect, world).map_err(|e| e.to_string())?,
        );
        Ok(())
    }

    fn call(&mut self, step: &Step, request: &Value) -> (u16, Value) {
        let (status, body) = self.call_text(step, request);
        (
            status,
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        )
    }

    fn call_text(&mut self, step: &Step, request: &Value) -> (u16, String) {
        let Some(service) = self.service.as_mut() else {
            return (
                0,
                serde_json::json!({"harness_error": "no world"}).to_string(),
            );
        };
        let new_ids: Vec<&str> = step.new_ids.iter().map(String::as_str).collect();
        // Without a request id, the service answers with the provider's default.
        let call = crate::provider::Call::new(&step.operation, &step.caller, step.at, request)
            .with_new_ids(&new_ids)
            .with_request_id(step.request_id.as_deref().unwrap_or_default());
        match service.call(&call) {
            Ok(reply) => (reply.status, reply.body),
            // Status 0 matches no expectation, so the step fails with the reason in its body.
            Err(err) => (
                0,
                serde_json::json!({"harness_error": err.to_string(), "code": err.code()})
                    .to_string(),
            ),
        }
    }
}
