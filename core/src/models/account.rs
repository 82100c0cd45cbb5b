string_enum! {
    /// The `status` of an account.
    pub enum AccountStatus {
        /// In good standing.
        Active = "active",
        /// Needs attention.
        Warning = "warning",
        /// Locked.
        Locked = "locked",
    }
}

model! {
    /// The account the token belongs to.
    pub struct Account {
        required {
            /// Maximum number of droplets.
            droplet_limit: u64 = "droplet_limit",
            /// Maximum number of floating IPs.
            floating_ip_limit: u64 = "floating_ip_limit",
            /// Email address.
            email: String = "email",
            /// Unique id.
            uuid: String = "uuid",
            /// Whether the email address is verified.
            email_verified: bool = "email_verified",
            /// Account status.
            status: AccountStatus = "status",
            /// Why the account has its status.
            status_message: String = "status_message",
        }
        optional {
            /// Display name.
            name: String = "name",
            /// The team the token acts for.
            team: Team = "team",
        }
    }
}

model! {
    /// The team an account acts for.
    pub struct Team {
        required {}
        optional {
            /// Unique id.
            uuid: String = "uuid",
            /// Name.
            name: String = "name",
        }
    }
}
