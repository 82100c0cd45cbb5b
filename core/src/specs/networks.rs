//! [`VpcSpec`] and [`ProjectSpec`]: the create bodies of a VPC and a
//! project.

#[cfg(feature = "projects")]
use crate::api::projects::{ProjectBase, ProjectEnvironment, ProjectsCreate};
#[cfg(feature = "vpcs")]
use crate::api::vpcs::{VpcsCreate, VpcsCreateBody};
use crate::specs::check::{non_empty, Checked};

/// A VPC to create: its name and region, and optionally its IP range
/// (else DigitalOcean picks one) and description. `POST /v2/vpcs`.
#[cfg(feature = "vpcs")]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VpcSpec {
    /// Its name: letters, digits and hyphens.
    pub name: String,
    /// Its region's slug.
    pub region: String,
    /// Its IP range, in CIDR notation (`10.10.10.0/24`).
    pub ip_range: Option<String>,
    /// A description.
    pub description: Option<String>,
}

#[cfg(feature = "vpcs")]
impl VpcSpec {
    /// A VPC named `name` in `region`.
    pub fn new(name: impl Into<String>, region: impl Into<String>) -> Self {
        VpcSpec {
            name: name.into(),
            region: region.into(),
            ..VpcSpec::default()
        }
    }

    /// Its IP range, in CIDR notation.
    pub fn ip_range(mut self, cidr: impl Into<String>) -> Self {
        self.ip_range = Some(cidr.into());
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The create operation, refused before sending if the name or the
    /// region is empty.
    pub fn operation(self) -> Checked<VpcsCreate> {
        let checks = [
            non_empty("VPC name", &self.name),
            non_empty("region", &self.region),
        ];
        let body = VpcsCreateBody {
            name: Some(self.name),
            region: Some(self.region),
            ip_range: self.ip_range,
            description: self.description,
            ..VpcsCreateBody::default()
        };
        Checked::new(VpcsCreate { body }, checks)
    }
}

/// A project to create: its name and purpose, and optionally its
/// description and environment. `POST /v2/projects`.
#[cfg(feature = "projects")]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectSpec {
    /// Its name.
    pub name: String,
    /// What it is for (`Web Application`, `Service or API`, ...).
    pub purpose: String,
    /// A description.
    pub description: Option<String>,
    /// `Development`, `Staging` or `Production`.
    pub environment: Option<String>,
}

#[cfg(feature = "projects")]
impl ProjectSpec {
    /// A project named `name` for `purpose`.
    pub fn new(name: impl Into<String>, purpose: impl Into<String>) -> Self {
        ProjectSpec {
            name: name.into(),
            purpose: purpose.into(),
            ..ProjectSpec::default()
        }
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Its environment: `Development`, `Staging` or `Production`.
    pub fn environment(mut self, environment: impl Into<String>) -> Self {
        self.environment = Some(environment.into());
        self
    }

    /// The create operation, refused before sending if the name or the
    /// purpose is empty.
    pub fn operation(self) -> Checked<ProjectsCreate> {
        let checks = [
            non_empty("project name", &self.name),
            non_empty("project purpose", &self.purpose),
        ];
        let body = ProjectBase {
            name: Some(self.name),
            purpose: Some(self.purpose),
            description: self.description,
            environment: self.environment.as_deref().map(ProjectEnvironment::from),
            ..ProjectBase::default()
        };
        Checked::new(ProjectsCreate { body }, checks)
    }
}
