model! {
    /// A public SSH key registered with the account.
    pub struct SshKey {
        required {
            /// Unique id.
            id: u64 = "id",
            /// The key's fingerprint, also usable as its identifier.
            fingerprint: String = "fingerprint",
            /// The public key, in OpenSSH format.
            public_key: String = "public_key",
            /// Display name.
            name: String = "name",
        }
        optional {}
    }
}
