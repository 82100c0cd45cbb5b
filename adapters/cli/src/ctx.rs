//! What every command works with.

use doapi_blocking::Client;

use crate::fail::Fail;
use crate::out::Out;
use crate::resolve::{Cached, Resolver};

/// What a command works with: the client, stdout, the listings fetched so
/// far.
pub struct Ctx {
    /// The client.
    pub client: Client,
    /// Where results go.
    pub out: Out,
    /// Identifier resolution, with its listings.
    pub names: Resolver,
}

impl Ctx {
    /// With `--unique`, fails if a resource of the kind already has the name.
    pub fn check_unused<T: Cached>(&mut self, name: &str, unique: bool) -> Result<(), Fail> {
        if unique {
            self.names.ensure_unused::<T>(&self.client, name)?;
        }
        Ok(())
    }
}
