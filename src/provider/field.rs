//! [`Field`]: where a member sits in a provider document (`Handshake.Resources[1].Value`), the
//! one way every provider folder names the field an error is about.

use std::fmt;

/// Where a member sits in a document, written out only when an error names it: building every
/// path eagerly was a third of the cost of a successful parse.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field<'a> {
    /// The document's own name (`Handshake`, `Handshakes[2]`); empty for a document whose
    /// members are named as they are (`created_at`).
    Root(&'a str),
    /// `<parent>.<key>` (`<key>` under an empty root).
    Key(&'a Field<'a>, &'static str),
    /// `<parent>.<key>[<index>]`.
    Item(&'a Field<'a>, &'static str, usize),
}

impl<'a> Field<'a> {
    /// The member `key` of this one.
    pub(crate) fn key(&'a self, key: &'static str) -> Field<'a> {
        Field::Key(self, key)
    }

    /// Item `index` of the list `key` of this one.
    pub(crate) fn item(&'a self, key: &'static str, index: usize) -> Field<'a> {
        Field::Item(self, key, index)
    }
}

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parent = |f: &mut fmt::Formatter<'_>, parent: &Field<'_>| match parent {
            Field::Root("") => Ok(()),
            other => write!(f, "{other}."),
        };
        match self {
            Field::Root(root) => f.write_str(root),
            Field::Key(up, key) => {
                parent(f, up)?;
                f.write_str(key)
            }
            Field::Item(up, key, index) => {
                parent(f, up)?;
                write!(f, "{key}[{index}]")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn paths_read_as_the_provider_writes_them() {
        let root = Field::Root("Handshake");
        let resource = root.item("Resources", 1);
        assert_eq!(
            resource.key("Value").to_string(),
            "Handshake.Resources[1].Value"
        );
        let bare = Field::Root("");
        assert_eq!(bare.key("created_at").to_string(), "created_at");
        assert_eq!(bare.item("items", 0).to_string(), "items[0]");
    }
}
