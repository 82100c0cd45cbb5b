string_enum! {
    /// The `type` of a DNS record.
    pub enum RecordType {
        /// IPv4 address.
        A = "A",
        /// IPv6 address.
        Aaaa = "AAAA",
        /// Certification authority authorization.
        Caa = "CAA",
        /// Canonical name.
        Cname = "CNAME",
        /// Mail exchanger.
        Mx = "MX",
        /// Name server.
        Ns = "NS",
        /// Start of authority.
        Soa = "SOA",
        /// Service locator.
        Srv = "SRV",
        /// Text.
        Txt = "TXT",
    }
}

model! {
    /// A domain managed by DigitalOcean's DNS.
    pub struct Domain {
        required {
            /// The domain name, such as `example.com`.
            name: String = "name",
        }
        optional {
            /// Default TTL of its records, in seconds.
            ttl: u64 = "ttl",
            /// The zone file.
            zone_file: String = "zone_file",
            /// The address of the apex A record (only when creating).
            ip_address: String = "ip_address",
        }
    }
}

model! {
    /// A DNS record of a domain.
    pub struct DomainRecord {
        required {
            /// Unique id.
            id: u64 = "id",
            /// Record type.
            kind: RecordType = "type",
            /// Host name relative to the domain (`@` for the apex).
            name: String = "name",
            /// The value: an address, a host name, text, ...
            data: String = "data",
        }
        optional {
            /// Priority (MX and SRV).
            priority: u64 = "priority",
            /// Port (SRV).
            port: u64 = "port",
            /// TTL in seconds.
            ttl: u64 = "ttl",
            /// Weight (SRV).
            weight: u64 = "weight",
            /// Flags (CAA).
            flags: u64 = "flags",
            /// Tag (CAA): `issue`, `issuewild` or `iodef`.
            tag: String = "tag",
        }
    }
}
