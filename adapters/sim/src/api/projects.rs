//! Projects: the default project, where new resources land, and assigning
//! resources by URN.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::resources::Project;
use crate::wire::{found, no_content, one, page, page_with, ApiError, ApiResult, Ctx};

const ENVIRONMENTS: &[&str] = &["Development", "Staging", "Production"];

#[derive(Deserialize)]
struct ProjectBody {
    name: Option<String>,
    description: Option<String>,
    purpose: Option<String>,
    environment: Option<String>,
    is_default: Option<bool>,
}

#[derive(Deserialize)]
struct AssignBody {
    #[serde(default)]
    resources: Vec<String>,
}

/// A resource of a project.
#[derive(Serialize)]
struct Resource<'a> {
    urn: &'a str,
    assigned_at: &'a str,
    links: Links,
    status: &'static str,
}

#[derive(Serialize)]
struct Links {
    #[serde(rename = "self")]
    own: String,
}

impl Cloud {
    /// The account's first project, its default.
    pub(crate) fn default_project(&mut self, now: Instant) {
        let id = self.project_id.clone();
        let project = self.new_project(id.clone(), "first-project", now);
        self.st.projects.insert(
            id,
            Project {
                is_default: true,
                description: "Update your project information under Settings".into(),
                purpose: "Just trying out DigitalOcean".into(),
                ..project
            },
        );
    }

    fn new_project(&self, id: String, name: &str, now: Instant) -> Project {
        Project {
            id,
            owner_uuid: self.account_uuid.clone(),
            owner_id: 258_992,
            name: name.to_owned(),
            description: String::new(),
            purpose: String::new(),
            environment: "Development".into(),
            is_default: false,
            created_at: self.stamp(now),
            updated_at: self.stamp(now),
        }
    }

    /// The id of the project a create names, else the default's; 422 for
    /// one that does not exist.
    pub(crate) fn project_for(&self, id: Option<&str>) -> Result<String, ApiError> {
        match id {
            None => Ok(self.default_project_id().to_owned()),
            Some(id) if self.st.projects.contains_key(id) => Ok(id.to_owned()),
            Some(id) => Err(ApiError::unprocessable(format!(
                "project {id} could not be found"
            ))),
        }
    }

    fn default_project_id(&self) -> &str {
        self.st
            .projects
            .values()
            .find(|p| p.is_default)
            .map_or(self.project_id.as_str(), |p| p.id.as_str())
    }

    /// Puts a resource into a project (out of any other).
    pub(crate) fn assign_to(&mut self, project: &str, urn: String, now: Instant) {
        self.unassign_urn(&urn);
        self.st.project_index.join(urn.clone(), project);
        let at = self.stamp(now);
        self.st.assignments.insert(urn, (project.to_owned(), at));
    }

    /// A resource gone: out of its project.
    pub(crate) fn unassign_urn(&mut self, urn: &str) {
        if let Some((project, _)) = self.st.assignments.remove(urn) {
            self.st.project_index.leave(&urn.to_owned(), &project);
        }
    }

    /// The id of the project a resource is in.
    pub(crate) fn project_of(&self, urn: &str) -> &str {
        self.st
            .assignments
            .get(urn)
            .map_or(self.default_project_id(), |(p, _)| p.as_str())
    }

    pub(crate) fn list_projects(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<&Project> = self.st.projects.values().collect();
        page(ctx, "projects", &items)
    }

    pub(crate) fn create_project(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ProjectBody = ctx.json()?;
        let name = body.name.clone().unwrap_or_default();
        if self.st.projects.values().any(|p| p.name == name) {
            return Err(ApiError::new(
                409,
                "a project with this name already exists",
            ));
        }
        let id = self.uuid();
        let mut project = self.new_project(id.clone(), &name, ctx.now);
        project.purpose = body.purpose.clone().unwrap_or_default();
        apply(&mut project, body, false)?;
        let answer = one(201, "project", &project);
        self.st.projects.insert(id, project);
        answer
    }

    pub(crate) fn get_project(&mut self, ctx: &Ctx) -> ApiResult {
        one(
            200,
            "project",
            found(self.st.projects.get(self.project_param(ctx)))?,
        )
    }

    /// PUT and PATCH: the fields given change. Making a project the
    /// default takes that from the one before.
    pub(crate) fn update_project(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ProjectBody = ctx.json()?;
        let id = self.project_param(ctx).to_owned();
        let mut project = found(self.st.projects.get(&id))?.clone();
        let was_default = project.is_default;
        apply(&mut project, body, true)?;
        if was_default && !project.is_default {
            return Err(ApiError::unprocessable(
                "Make another project the default instead.",
            ));
        }
        project.updated_at = self.stamp(ctx.now);
        if project.is_default {
            for p in self.st.projects.values_mut() {
                p.is_default = false;
            }
        }
        let answer = one(200, "project", &project);
        self.st.projects.insert(id, project);
        answer
    }

    pub(crate) fn delete_project(&mut self, ctx: &Ctx) -> ApiResult {
        let id = self.project_param(ctx).to_owned();
        let project = found(self.st.projects.get(&id))?;
        if project.is_default {
            return Err(ApiError::new(412, "The default project cannot be deleted."));
        }
        if !self.st.project_index.ids(Some(&id)).is_empty() {
            return Err(ApiError::new(
                412,
                "Only an empty project can be deleted: move or destroy its resources first.",
            ));
        }
        self.st.projects.remove(&id);
        no_content()
    }

    /// A page of a project's resources: the cost of the page.
    pub(crate) fn list_project_resources(&mut self, ctx: &Ctx) -> ApiResult {
        let id = self.project_param(ctx);
        found(self.st.projects.get(id))?;
        let urns = self.st.project_index.ids(Some(id));
        page_with(ctx, "resources", urns.len(), |range| {
            urns[range]
                .iter()
                .map(|urn| self.resource_view(ctx, urn))
                .collect::<Vec<_>>()
        })
    }

    /// Moves resources into a project; all or nothing.
    pub(crate) fn assign_project_resources(&mut self, ctx: &Ctx) -> ApiResult {
        let body: AssignBody = ctx.json()?;
        let id = self.project_param(ctx).to_owned();
        found(self.st.projects.get(&id))?;
        for urn in &body.resources {
            if !self.urn_exists(urn)? {
                return Err(ApiError::new(404, format!("{urn} could not be found")));
            }
        }
        for urn in &body.resources {
            self.assign_to(&id, urn.clone(), ctx.now);
        }
        let items: Vec<Resource> = body
            .resources
            .iter()
            .map(|urn| self.resource_view(ctx, urn))
            .collect();
        one(200, "resources", &items)
    }

    /// Whether a URN names a resource of the account; 422 when it is no
    /// URN of a kind projects hold.
    fn urn_exists(&self, urn: &str) -> Result<bool, ApiError> {
        let bad = || ApiError::unprocessable(format!("{urn:?} is not a valid resource URN"));
        let (kind, id) = urn
            .strip_prefix("do:")
            .and_then(|u| u.split_once(':'))
            .ok_or_else(bad)?;
        Ok(match kind {
            "droplet" => id
                .parse()
                .is_ok_and(|id| self.st.droplets.contains_key(&id)),
            "volume" => self.st.volumes.contains_key(id),
            "floatingip" => id
                .parse()
                .is_ok_and(|ip| self.st.reserved_ips.contains_key(&ip)),
            "loadbalancer" => self.st.load_balancers.contains_key(id),
            "domain" => self.st.domains.contains_key(id),
            _ => return Err(bad()),
        })
    }

    fn resource_view<'a>(&'a self, ctx: &Ctx, urn: &'a str) -> Resource<'a> {
        let (kind, id) = urn
            .strip_prefix("do:")
            .and_then(|u| u.split_once(':'))
            .unwrap_or_default();
        let path = match kind {
            "droplet" => "droplets",
            "volume" => "volumes",
            "floatingip" => "reserved_ips",
            "loadbalancer" => "load_balancers",
            _ => "domains",
        };
        let assigned_at = self
            .st
            .assignments
            .get(urn)
            .map_or("", |(_, at)| at.as_str());
        Resource {
            urn,
            assigned_at,
            links: Links {
                own: format!("{}/v2/{path}/{id}", ctx.origin),
            },
            status: "ok",
        }
    }

    /// The project in the path (`default` is the default project's id).
    fn project_param<'a>(&'a self, ctx: &'a Ctx) -> &'a str {
        match ctx.param(0) {
            "default" => self.default_project_id(),
            id => id,
        }
    }
}

/// Copies a body's fields onto a project, checking them.
fn apply(p: &mut Project, b: ProjectBody, update: bool) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::unprocessable(m));
    if let Some(name) = b.name {
        if name.trim().is_empty() || name.len() > 175 {
            return bad("name must be 1 to 175 characters");
        }
        p.name = name;
    } else if !update {
        return bad("name is required");
    }
    if let Some(purpose) = b.purpose {
        if purpose.len() > 255 {
            return bad("purpose must be at most 255 characters");
        }
        p.purpose = purpose;
    } else if !update {
        return bad("purpose is required");
    }
    if let Some(env) = b.environment {
        if !ENVIRONMENTS.contains(&env.as_str()) {
            return bad("environment must be Development, Staging or Production");
        }
        p.environment = env;
    }
    if let Some(d) = b.description {
        p.description = d;
    }
    if let Some(d) = b.is_default.filter(|_| update) {
        p.is_default = d;
    }
    Ok(())
}
