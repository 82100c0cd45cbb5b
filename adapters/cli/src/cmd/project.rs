//! `doapi project ...`: doctl's `projects` verbs, and its `resources`.

use clap::Subcommand;
use doapi_blocking::specs::ProjectSpec;
use doapi_blocking::Api;

use crate::by_id::resolve;
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The project commands.
#[derive(Subcommand)]
pub enum ProjectCmd {
    /// Every project.
    List,
    /// The projects given (`default` for the default project).
    Get {
        /// Each project: id, name, or `default`.
        #[arg(required = true)]
        projects: Vec<String>,
    },
    /// Creates a project.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// What it is for (`Web Application`, `Service or API`, ...).
        #[arg(long)]
        purpose: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// Development, Staging or Production.
        #[arg(long)]
        environment: Option<String>,
    },
    /// Moves resources, by URN (`do:droplet:ID`, `do:volume:ID`, ...),
    /// into a project.
    Assign {
        /// The project: id, name, or `default`.
        project: String,
        /// Each resource's URN.
        #[arg(long = "resource", required = true)]
        resources: Vec<String>,
    },
    /// The resources of a project.
    Resources {
        /// The project: id, name, or `default`.
        project: String,
    },
    /// Deletes projects (each empty, and not the default).
    Delete {
        /// Each project: id or name.
        #[arg(required = true)]
        projects: Vec<String>,
    },
}

/// The id of the project a label names (`default`: the default one's).
fn project_id(ctx: &Ctx, label: &str) -> Result<String, Fail> {
    if label == "default" {
        let default = ctx.client.fetch_default_project()?;
        return default
            .id
            .ok_or_else(|| Fail::usage("the default project came without an id"));
    }
    let listing = ctx.client.fetch_all_projects();
    resolve("project", label, listing, |p| {
        (p.name.as_deref(), p.id.as_deref())
    })
}

/// Runs a project command.
pub fn run(ctx: &mut Ctx, cmd: ProjectCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        ProjectCmd::List => ctx.out.stream(client.fetch_all_projects()),
        ProjectCmd::Get { projects } => {
            let ids: Result<Vec<String>, Fail> =
                projects.iter().map(|l| project_id(ctx, l)).collect();
            ctx.out
                .stream(unique(ids?).map(|id| client.fetch_project(id)))
        }
        ProjectCmd::Create {
            name,
            purpose,
            description,
            environment,
        } => {
            let mut spec = ProjectSpec::new(name, purpose);
            (spec.description, spec.environment) = (description, environment);
            ctx.out.one(&client.create_project(spec)?)
        }
        ProjectCmd::Assign { project, resources } => {
            let id = project_id(ctx, &project)?;
            ctx.out.items(client.assign_to_project(id, resources)?)
        }
        ProjectCmd::Resources { project } => {
            let id = project_id(ctx, &project)?;
            ctx.out.stream(client.fetch_project_resources(id))
        }
        ProjectCmd::Delete { projects } => {
            for label in unique(projects) {
                client.delete_project(project_id(ctx, &label)?)?;
            }
            Ok(())
        }
    }
}
