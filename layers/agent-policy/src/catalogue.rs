//! The rule catalogue: one table that is the single source for the CLAUDE.md text,
//! the `.claude/settings.json` permission rules and the PreToolUse hook's decisions.
//!
//! Matching lives in [`crate::shell`] (Bash commands) and [`crate::hook`] (file tools);
//! both refer to these rules by id.

use guard_core::{Rule, Severity};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What the hook answers. Ordered so that the worst decision wins with `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Ask,
    Deny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Ask => "ask",
            Decision::Deny => "deny",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One concrete prohibition.
#[derive(Debug, Clone, Copy)]
pub struct CommandRule {
    /// `title` is the prohibition, `rationale` the reason, `remediation` the safer
    /// alternative.
    pub rule: Rule,
    pub pack: &'static str,
    pub decision: Decision,
    /// Claude Code permission rules that express the rule statically (for
    /// `permissions.deny` or `permissions.ask`, according to `decision`); empty when
    /// only the hook can judge it.
    pub settings: &'static [&'static str],
    /// The CLAUDE.md sentence.
    pub instruction: &'static str,
}

impl CommandRule {
    pub fn id(&self) -> &'static str {
        self.rule.id
    }
}

/// Pack names, in the order CLAUDE.md lists them.
pub const PACKS: &[&str] = &[
    "filesystem",
    "system",
    "git",
    "terraform",
    "cloud",
    "kubernetes",
    "containers",
    "databases",
    "pipe-to-shell",
    "secrets",
    "secret-stores",
    "publishing",
    "self-protection",
    "sync",
    "backup",
    "http-apis",
    "messaging",
    "ci",
    "github",
    "saas",
    "dns",
    "packages",
    "shell",
    "default-branch",
    "pull-requests",
    "tags",
    "project-rm",
];

/// Policy packs: stricter team policies, off unless guard.toml names them in
/// `[layers.agent-policy] packs`.
pub const POLICY_PACKS: &[&str] = &["default-branch", "pull-requests", "tags", "project-rm"];

/// The heading CLAUDE.md gives a pack, written as words ("HTTP APIs", not
/// `http-apis`). `None` for a name that is not a pack.
pub fn pack_title(pack: &str) -> Option<&'static str> {
    Some(match pack {
        "filesystem" => "Filesystem",
        "system" => "System",
        "git" => "Git",
        "terraform" => "Terraform",
        "cloud" => "Cloud",
        "kubernetes" => "Kubernetes",
        "containers" => "Containers",
        "databases" => "Databases",
        "pipe-to-shell" => "Piping downloads to a shell",
        "secrets" => "Secrets",
        "secret-stores" => "Secret stores",
        "publishing" => "Publishing",
        "self-protection" => "Self-protection",
        "sync" => "Sync",
        "backup" => "Backups",
        "http-apis" => "HTTP APIs",
        "messaging" => "Messaging",
        "ci" => "CI",
        "github" => "GitHub",
        "shell" => "Shell",
        "saas" => "Vendor and SaaS CLIs",
        "dns" => "DNS",
        "packages" => "System packages",
        "default-branch" => "Pushes to the default branch (policy)",
        "pull-requests" => "Merging and closing pull requests and issues (policy)",
        "tags" => "Deleting tags (policy)",
        "project-rm" => "Recursive deletes inside the project (policy)",
        "custom" => "Project rules",
        _ => return None,
    })
}

/// The rule whose id is `id` (case-insensitive).
pub fn find(id: &str) -> Option<&'static CommandRule> {
    catalogue()
        .iter()
        .find(|r| r.rule.id.eq_ignore_ascii_case(id))
}

pub fn catalogue() -> &'static [CommandRule] {
    CATALOGUE
}

const DESTROY: &[&str] = &["STRIDE:Tampering", "CWE-1188"];
const LEAK: &[&str] = &["STRIDE:InformationDisclosure", "CWE-200", "CWE-522"];
const REMOTE_CODE: &[&str] = &["STRIDE:Elevation", "CWE-494"];
const PERMS: &[&str] = &["STRIDE:Elevation", "CWE-732"];
const TAMPER_GUARD: &[&str] = &["STRIDE:Tampering", "CWE-693"];
const CC_PERMS: &[&str] = &["https://code.claude.com/docs/en/permissions"];

macro_rules! rule {
    ($id:literal, $pack:literal, $decision:ident, $sev:ident, $tags:expr,
     title: $title:literal, why: $why:literal, instead: $alt:literal,
     settings: [$($s:literal),* $(,)?], instruction: $ins:literal $(,)?) => {
        CommandRule {
            rule: Rule {
                id: $id,
                severity: Severity::$sev,
                title: $title,
                rationale: $why,
                remediation: $alt,
                tags: $tags,
                references: CC_PERMS,
            },
            pack: $pack,
            decision: Decision::$decision,
            settings: &[$($s),*],
            instruction: $ins,
        }
    };
}

static CATALOGUE: &[CommandRule] = &[
    // ---- filesystem ----
    rule!("AGENT-FS-001", "filesystem", Deny, Critical, DESTROY,
        title: "Recursive forced delete of /, the home directory, a parent directory, a system directory or a bare glob",
        why: "`rm -rf` on these targets destroys the machine or the user's data with no undo; a mistyped variable or glob is enough.",
        instead: "Delete the specific build or cache directory inside the project by its relative path (e.g. `rm -rf ./target`), or move files to a trash directory.",
        settings: ["Bash(rm -rf /)", "Bash(rm -rf /*)", "Bash(rm -rf ~)", "Bash(rm -rf ~/)", "Bash(rm -rf $HOME)", "Bash(rm -rf ..)", "Bash(rm -rf ../*)", "Bash(rm -fr /)", "Bash(rm -fr ~)", "Bash(rm --no-preserve-root *)"],
        instruction: "Never run `rm -rf` on `/`, `~`, `$HOME`, `..`, system directories or a bare `*`; delete only named paths inside the project."),
    rule!("AGENT-FS-002", "filesystem", Ask, Medium, DESTROY,
        title: "Recursive forced delete of an absolute path outside the project and temporary directories",
        why: "Deleting trees outside the working copy reaches data the task does not own.",
        instead: "Delete paths inside the project, or under /tmp; ask the user before removing anything else.",
        settings: [],
        instruction: "Ask before deleting any directory outside the project or /tmp."),
    rule!("AGENT-FS-003", "filesystem", Deny, Critical, DESTROY,
        title: "Writing to a block device or formatting a disk (`dd of=/dev/*`, `mkfs`, `wipefs`, `fdisk`, `parted`)",
        why: "Raw device writes and filesystem creation erase whole disks.",
        instead: "Work on image files (`dd of=disk.img`) or ask the user to run disk operations themselves.",
        settings: ["Bash(mkfs *)", "Bash(mkfs.*)", "Bash(wipefs *)", "Bash(dd * of=/dev/*)", "Bash(fdisk /dev/*)", "Bash(sfdisk *)", "Bash(parted /dev/*)"],
        instruction: "Never run `mkfs`, `wipefs`, `fdisk`, `parted` or `dd of=/dev/...`."),
    rule!("AGENT-FS-004", "filesystem", Ask, Medium, DESTROY,
        title: "Overwriting file contents irrecoverably (`shred`, `srm`, `wipe`, `truncate -s 0`)",
        why: "These leave nothing to recover from version control or the trash.",
        instead: "Delete the file normally (git keeps its history) or write the new content with the editor tools.",
        settings: ["Bash(shred *)"],
        instruction: "Do not use `shred` or `truncate -s 0` on project files; edit or delete them normally."),
    rule!("AGENT-FS-005", "filesystem", Deny, High, PERMS,
        title: "Recursive `chmod`/`chown` on /, the home directory or system directories, or world-writable permissions (777)",
        why: "It breaks the system's permission model (ssh refuses keys, sudo breaks) or exposes files to every local user.",
        instead: "Change the mode of the one file that needs it, with the least permission (`chmod u+x script.sh`, `chmod 644 file`).",
        settings: ["Bash(chmod -R 777 *)", "Bash(chmod 777 *)", "Bash(chmod -R * /)", "Bash(chown -R * /)"],
        instruction: "Never run `chmod 777` or a recursive `chmod`/`chown` on `/`, `~` or system directories; change one file with the least permission."),
    rule!("AGENT-FS-006", "filesystem", Deny, Critical, DESTROY,
        title: "`find ... -delete` or `find ... -exec rm` starting from /, the home directory or a system directory",
        why: "A find-driven delete from a root walks the whole filesystem.",
        instead: "Run `find` on a project directory and review the list (`-print`) before deleting.",
        settings: [],
        instruction: "Never run `find / ... -delete` or `find ~ ... -exec rm`; list matches first and delete inside the project only."),
    rule!("AGENT-FS-007", "filesystem", Ask, High, DESTROY,
        title: "Writing, replacing or deleting files in system directories (`/etc`, `/usr`, `/boot`, ...), locally or on a remote host",
        why: "System files (accounts, boot, libraries, service config) are not the project's; overwriting or deleting one can break the machine or lock the user out.",
        instead: "Write inside the project or /tmp, and ask the user to install system files themselves.",
        settings: [],
        instruction: "Ask before writing, copying into or deleting anything under /etc, /usr, /boot, /bin, /sbin, /lib or /var/lib."),
    // ---- system ----
    rule!("AGENT-SYS-001", "system", Deny, High, DESTROY,
        title: "Shutting down or rebooting the machine, killing every process, or flushing the firewall",
        why: "`shutdown`, `reboot`, `kill -9 -1`, fork bombs, `iptables -F` and `crontab -r` take the machine or its protection down.",
        instead: "Stop the specific process you started (`kill <pid>`), or ask the user.",
        settings: ["Bash(shutdown *)", "Bash(reboot *)", "Bash(reboot)", "Bash(poweroff *)", "Bash(halt *)", "Bash(kill -9 -1)", "Bash(crontab -r *)", "Bash(iptables -F *)", "Bash(nft flush ruleset *)"],
        instruction: "Never run `shutdown`, `reboot`, `kill -9 -1`, `crontab -r`, `iptables -F` or `nft flush ruleset`."),
    rule!("AGENT-SYS-002", "system", Ask, Medium, DESTROY,
        title: "Stopping, disabling or masking system services",
        why: "Stopping ssh, networking or the container runtime can lock the user out of the machine.",
        instead: "Ask the user to manage system services.",
        settings: ["Bash(systemctl stop *)", "Bash(systemctl disable *)", "Bash(systemctl mask *)"],
        instruction: "Ask before running `systemctl stop|disable|mask`."),
    rule!("AGENT-SYS-003", "system", Deny, High, DESTROY,
        title: "Stopping, disabling or masking critical services (ssh, networking, firewall, container runtime, logging)",
        why: "A stopped ssh or network service locks the user out; a stopped firewall or audit log removes protection.",
        instead: "Ask the user to manage critical services.",
        settings: ["Bash(systemctl stop sshd*)", "Bash(systemctl stop ssh*)", "Bash(systemctl disable sshd*)", "Bash(systemctl stop NetworkManager*)", "Bash(systemctl stop networking*)", "Bash(service ssh stop*)"],
        instruction: "Never stop, disable or mask ssh, networking, the firewall, the container runtime or logging services."),
    // ---- git ----
    rule!("AGENT-GIT-001", "git", Deny, High, DESTROY,
        title: "Force-pushing (`git push --force`, `-f`, `+refspec`, `--mirror`)",
        why: "A force push rewrites shared history and silently drops other people's commits.",
        instead: "Use `git push --force-with-lease` on your own feature branch, or push a new branch.",
        settings: ["Bash(git push --force)", "Bash(git push --force *)", "Bash(git push * --force)", "Bash(git push * --force *)", "Bash(git push -f)", "Bash(git push -f *)", "Bash(git push * -f)", "Bash(git push * -f *)", "Bash(git push --mirror *)", "Bash(git push * --mirror)"],
        instruction: "Never run `git push --force`, `git push -f`, `git push --mirror` or push a `+branch` refspec; use `--force-with-lease` on your own branch."),
    rule!("AGENT-GIT-002", "git", Deny, High, DESTROY,
        title: "Discarding work with `git reset --hard` (or `--merge`, `--keep`)",
        why: "Uncommitted changes are lost with no reflog entry to recover them.",
        instead: "Run `git stash` first, or use `git reset --soft` / `git restore --staged` to unstage.",
        settings: ["Bash(git reset --hard)", "Bash(git reset --hard *)", "Bash(git reset --merge *)"],
        instruction: "Never run `git reset --hard`; stash your changes or use `git reset --soft`."),
    rule!("AGENT-GIT-003", "git", Deny, High, DESTROY,
        title: "Deleting untracked files with `git clean -f`",
        why: "Untracked files (new work, local config) are not in git and cannot be recovered.",
        instead: "Preview with `git clean -n`, then delete the named files you created.",
        settings: ["Bash(git clean -f*)", "Bash(git clean -d*)", "Bash(git clean -x*)", "Bash(git clean --force*)"],
        instruction: "Never run `git clean -f`; preview with `git clean -n` and delete only files you created."),
    rule!("AGENT-GIT-004", "git", Ask, Medium, DESTROY,
        title: "Force-deleting a branch or worktree (`git branch -D`, `git worktree remove --force`)",
        why: "Unmerged commits on the branch become unreachable.",
        instead: "Use `git branch -d`, which refuses to delete unmerged work.",
        settings: ["Bash(git branch -D *)", "Bash(git worktree remove --force *)"],
        instruction: "Use `git branch -d`, not `git branch -D`; ask before force-removing a branch or worktree."),
    rule!("AGENT-GIT-005", "git", Deny, High, DESTROY,
        title: "Discarding all working-tree changes (`git checkout -- .`, `git checkout .`, `git restore .`)",
        why: "Every uncommitted edit in the repository is overwritten.",
        instead: "Run `git stash` to set changes aside, or restore the single file you broke.",
        settings: ["Bash(git checkout -- .)", "Bash(git checkout .)", "Bash(git restore .)", "Bash(git restore --worktree .)"],
        instruction: "Never run `git checkout -- .`, `git checkout .` or `git restore .`; use `git stash`."),
    rule!("AGENT-GIT-006", "git", Ask, Medium, DESTROY,
        title: "Discarding uncommitted changes to named files (`git checkout -- <file>`, `git restore <file>`)",
        why: "The user's uncommitted edits to those files are lost.",
        instead: "Check `git diff <file>` first; use `git restore --staged` to only unstage.",
        settings: ["Bash(git checkout -- *)"],
        instruction: "Ask before discarding uncommitted changes to a file with `git checkout --` or `git restore`."),
    rule!("AGENT-GIT-007", "git", Deny, High, DESTROY,
        title: "Clearing the stash (`git stash clear`)",
        why: "All stashed work is dropped at once.",
        instead: "Drop one named entry after checking it (`git stash show -p stash@{n}`).",
        settings: ["Bash(git stash clear)", "Bash(git stash clear *)"],
        instruction: "Never run `git stash clear`."),
    rule!("AGENT-GIT-008", "git", Ask, Low, DESTROY,
        title: "Dropping a stash entry (`git stash drop`)",
        why: "The stashed changes are discarded.",
        instead: "Apply it with `git stash pop` instead, or inspect it first.",
        settings: ["Bash(git stash drop *)", "Bash(git stash drop)"],
        instruction: "Ask before `git stash drop`."),
    rule!("AGENT-GIT-009", "git", Deny, High, DESTROY,
        title: "Rewriting or pruning history (`filter-branch`, `filter-repo`, `reflog expire`, `gc --prune=now`, `update-ref -d`)",
        why: "These make old commits unrecoverable and break every other clone.",
        instead: "Leave history rewriting to the user; revert with a new commit (`git revert`).",
        settings: ["Bash(git filter-branch *)", "Bash(git filter-repo *)", "Bash(git reflog expire *)", "Bash(git gc --prune=now*)"],
        instruction: "Never run `git filter-branch`, `git filter-repo`, `git reflog expire` or `git gc --prune=now`; use `git revert`."),
    rule!("AGENT-GIT-010", "git", Deny, High, TAMPER_GUARD,
        title: "Skipping the project's git hooks (`--no-verify`, `HUSKY=0`)",
        why: "Pre-commit and pre-push hooks run the project's own checks (secrets, lint, tests); skipping them ships what they would stop.",
        instead: "Fix what the hook reports, then commit normally.",
        settings: ["Bash(git commit --no-verify*)", "Bash(git commit * --no-verify*)", "Bash(git push --no-verify*)", "Bash(git push * --no-verify*)", "Bash(HUSKY=0 *)"],
        instruction: "Never pass `--no-verify` to git or set `HUSKY=0`; fix what the hook reports."),
    rule!("AGENT-GIT-011", "git", Ask, Medium, DESTROY,
        title: "Deleting a remote branch (`git push --delete`, `git push origin :branch`)",
        why: "Other people may still work on the branch.",
        instead: "Ask the user, or delete the branch in the hosting UI after review.",
        settings: ["Bash(git push --delete *)", "Bash(git push * --delete *)", "Bash(git push -d *)", "Bash(git push * -d *)"],
        instruction: "Ask before deleting a remote branch."),
    // ---- terraform / IaC ----
    rule!("AGENT-TF-001", "terraform", Deny, Critical, DESTROY,
        title: "Applying infrastructure changes without review (`terraform apply -auto-approve`, also via `TF_CLI_ARGS`, OpenTofu, Terragrunt, `pulumi up --yes`)",
        why: "Nobody sees the plan before real infrastructure changes; a wrong plan can replace databases.",
        instead: "Run `terraform plan -out=tfplan`, show the plan to the user, and let them apply it.",
        settings: ["Bash(terraform apply *-auto-approve*)", "Bash(terraform * apply *-auto-approve*)", "Bash(tofu apply *-auto-approve*)", "Bash(terragrunt * -auto-approve*)", "Bash(terragrunt run-all apply*)", "Bash(pulumi up --yes*)", "Bash(pulumi up -y*)", "Bash(TF_CLI_ARGS*)"],
        instruction: "Never run `terraform apply -auto-approve` (or `tofu`/`terragrunt` equivalents, `TF_CLI_ARGS`, `pulumi up --yes`); run `terraform plan` and let the user apply."),
    rule!("AGENT-TF-002", "terraform", Deny, Critical, DESTROY,
        title: "Destroying infrastructure (`terraform destroy`, `apply -destroy`, `pulumi destroy`, `cdktf destroy`, `serverless remove`)",
        why: "Destroy deletes every managed resource, data stores included.",
        instead: "Remove the resource from the configuration and show the user the plan.",
        settings: ["Bash(terraform destroy*)", "Bash(terraform * destroy*)", "Bash(terraform apply -destroy*)", "Bash(tofu destroy*)", "Bash(terragrunt destroy*)", "Bash(terragrunt run-all destroy*)", "Bash(pulumi destroy*)", "Bash(cdktf destroy*)", "Bash(serverless remove*)", "Bash(sls remove*)"],
        instruction: "Never run `terraform destroy`, `terraform apply -destroy`, `pulumi destroy` or `serverless remove`."),
    rule!("AGENT-TF-003", "terraform", Deny, High, DESTROY,
        title: "Editing Terraform state directly (`state rm`, `state push`, `pulumi state delete`, `pulumi stack rm`)",
        why: "State edits make Terraform forget or overwrite real resources; drift and duplicate resources follow.",
        instead: "Use `moved`/`removed`/`import` blocks in the configuration so the change is planned and reviewed.",
        settings: ["Bash(terraform state rm *)", "Bash(terraform state push *)", "Bash(tofu state rm *)", "Bash(tofu state push *)", "Bash(pulumi state delete *)", "Bash(pulumi stack rm *)"],
        instruction: "Never run `terraform state rm` or `terraform state push`; use `moved`, `removed` or `import` blocks."),
    rule!("AGENT-TF-004", "terraform", Ask, Medium, DESTROY,
        title: "Changing infrastructure or its state interactively (`terraform apply`, `state mv`, `taint`, `force-unlock`, `workspace delete`, `import`)",
        why: "These change real infrastructure or shared state.",
        instead: "Prefer `terraform plan` and configuration blocks; let the user run the change.",
        settings: ["Bash(terraform apply*)", "Bash(terraform state mv *)", "Bash(terraform taint *)", "Bash(terraform force-unlock *)", "Bash(terraform workspace delete *)", "Bash(terraform import *)"],
        instruction: "Ask before `terraform apply`, `state mv`, `taint`, `force-unlock`, `import` or `workspace delete`."),
    rule!("AGENT-TF-005", "terraform", Ask, Medium, PERMS,
        title: "Writing infrastructure code or policy files from the shell where guard cannot see the content (`sed -i`, `perl -pi`, output of other programs, expansions)",
        why: "Content written by a redirect, heredoc or `tee` is checked like the Write tool's, but an in-place editor, another program's output or a `$(...)` in the text cannot be checked before it reaches disk; an IAM wildcard or an open security group would pass unseen.",
        instead: "Write the file with the Write or Edit tool (its content is checked), or a heredoc with a quoted delimiter and no expansions.",
        settings: [],
        instruction: "Write `.tf`, `.tfvars`, `.hcl` and policy `.json` files with the Write or Edit tool, not with `sed -i`, `perl -pi` or shell expansions."),
    // ---- cloud ----
    rule!("AGENT-CLOUD-001", "cloud", Deny, Critical, DESTROY,
        title: "Deleting S3 buckets or objects in bulk (`s3 rb --force`, `s3 rm --recursive`, `s3 sync --delete`, `s3api delete-bucket`, `gsutil rm -r`, `gsutil rb`)",
        why: "Bulk object deletion is irreversible unless versioning is on, and it usually is not.",
        instead: "List what would go (`aws s3 ls --recursive`, `aws s3 sync --dryrun`) and ask the user.",
        settings: ["Bash(aws s3 rb *)", "Bash(aws s3 rm * --recursive*)", "Bash(aws s3 sync * --delete*)", "Bash(aws s3api delete-bucket *)", "Bash(gsutil rm -r *)", "Bash(gsutil rb *)", "Bash(gcloud storage rm -r *)"],
        instruction: "Never run `aws s3 rb`, `aws s3 rm --recursive`, `aws s3 sync --delete` or `gsutil rm -r`; use `--dryrun` and ask."),
    rule!("AGENT-CLOUD-002", "cloud", Ask, Medium, DESTROY,
        title: "Deleting single storage objects or bucket configuration",
        why: "Object deletion is permanent without versioning.",
        instead: "Copy the object aside first or ask the user.",
        settings: ["Bash(aws s3 rm *)", "Bash(aws s3api delete-object *)", "Bash(aws s3api delete-objects *)"],
        instruction: "Ask before deleting objects in cloud storage."),
    rule!("AGENT-CLOUD-003", "cloud", Deny, Critical, DESTROY,
        title: "Deleting databases without a final snapshot, terminating instances, or deleting stacks, clusters, tables, projects or resource groups",
        why: "These remove running production resources and their data at once.",
        instead: "Change the infrastructure code and let the user apply it; keep a final snapshot.",
        settings: ["Bash(aws ec2 terminate-instances *)", "Bash(aws rds delete-db-instance *)", "Bash(aws rds delete-db-cluster *)", "Bash(aws cloudformation delete-stack *)", "Bash(aws dynamodb delete-table *)", "Bash(aws eks delete-cluster *)", "Bash(gcloud projects delete *)", "Bash(az group delete *)"],
        instruction: "Never run `aws ec2 terminate-instances`, `aws rds delete-db-*` (least of all with `--skip-final-snapshot`), `aws cloudformation delete-stack`, `gcloud projects delete` or `az group delete`."),
    rule!("AGENT-CLOUD-004", "cloud", Ask, Medium, DESTROY,
        title: "Deleting, terminating or purging cloud resources (`aws ... delete-*`, `gcloud ... delete`, `az ... delete`)",
        why: "Cloud deletions are usually immediate and permanent.",
        instead: "Make the change in infrastructure code, or ask the user.",
        settings: [],
        instruction: "Ask before any `aws`, `gcloud` or `az` command that deletes, terminates or purges a resource."),
    rule!("AGENT-CLOUD-005", "cloud", Deny, Critical, PERMS,
        title: "Granting administrator or wildcard IAM permissions (`\"Action\": \"*\"`, `AdministratorAccess`)",
        why: "A wildcard policy turns one leaked credential into full account takeover.",
        instead: "Write a least-privilege policy naming the actions and resources needed.",
        settings: [],
        instruction: "Never attach `AdministratorAccess` or write an IAM policy with `\"Action\": \"*\"` or `\"Resource\": \"*\"`; name the exact actions."),
    rule!("AGENT-CLOUD-006", "cloud", Ask, Medium, PERMS,
        title: "Changing IAM policies, roles, keys or bindings from the command line",
        why: "Permission changes outside code review are hard to audit and to undo.",
        instead: "Change the policy in infrastructure code so it is reviewed.",
        settings: ["Bash(aws iam put-*)", "Bash(aws iam attach-*)", "Bash(aws iam create-access-key *)", "Bash(gcloud projects add-iam-policy-binding *)"],
        instruction: "Ask before changing IAM policies, roles or keys from the command line."),
    rule!("AGENT-CLOUD-007", "cloud", Ask, Medium, DESTROY,
        title: "Deleting or destroying hosted apps and data on PaaS platforms (Heroku, Fly, Vercel, Netlify, Firebase, Cloudflare, DigitalOcean, Supabase)",
        why: "These commands drop apps, databases or deployments immediately.",
        instead: "Ask the user to run it from the platform's dashboard.",
        settings: ["Bash(supabase db reset*)", "Bash(vercel rm *)", "Bash(vercel remove *)"],
        instruction: "Ask before deleting or resetting anything on a hosting platform."),
    // ---- kubernetes ----
    rule!("AGENT-K8S-001", "kubernetes", Deny, Critical, DESTROY,
        title: "Deleting namespaces or every resource of a kind (`kubectl delete ns`, `--all`, `-A`)",
        why: "Namespace deletion removes every workload, secret and volume claim in it.",
        instead: "Delete the one named resource (`kubectl delete deployment/<name>`) after a `--dry-run=client`.",
        settings: ["Bash(kubectl delete namespace *)", "Bash(kubectl delete ns *)", "Bash(kubectl delete * --all*)", "Bash(kubectl delete * -A*)"],
        instruction: "Never run `kubectl delete namespace` or `kubectl delete ... --all`/`-A`."),
    rule!("AGENT-K8S-002", "kubernetes", Ask, Medium, DESTROY,
        title: "Deleting, draining or scaling down Kubernetes workloads",
        why: "It interrupts running services.",
        instead: "Use `--dry-run=server` and show the result, or change the manifests.",
        settings: ["Bash(kubectl delete *)", "Bash(kubectl drain *)", "Bash(kubectl scale * --replicas=0*)"],
        instruction: "Ask before `kubectl delete`, `drain`, or scaling to zero; use `--dry-run=server` first."),
    rule!("AGENT-K8S-003", "kubernetes", Deny, High, DESTROY,
        title: "Uninstalling Helm releases (`helm uninstall`, `helm delete`)",
        why: "The release's resources, and often its volumes, are removed.",
        instead: "Ask the user; use `helm diff` / `helm template` to show changes.",
        settings: ["Bash(helm uninstall *)", "Bash(helm delete *)"],
        instruction: "Never run `helm uninstall` or `helm delete`."),
    rule!("AGENT-K8S-004", "kubernetes", Ask, Medium, DESTROY,
        title: "Rolling back or force-upgrading Helm releases",
        why: "Rollbacks and forced upgrades recreate resources in place.",
        instead: "Use `helm diff upgrade` and let the user run it.",
        settings: ["Bash(helm rollback *)"],
        instruction: "Ask before `helm rollback` or `helm upgrade --force`."),
    // ---- containers ----
    rule!("AGENT-CTR-001", "containers", Deny, High, DESTROY,
        title: "Pruning or deleting container volumes and whole systems (`docker system prune`, `volume prune`, `volume rm`, `compose down -v`)",
        why: "Volumes hold databases and other state that is not rebuilt from images.",
        instead: "Remove the one container or image you created (`docker rm <name>`, `docker image rm <tag>`).",
        settings: ["Bash(docker system prune*)", "Bash(docker volume prune*)", "Bash(docker volume rm *)", "Bash(docker compose down -v*)", "Bash(docker compose down --volumes*)", "Bash(podman system prune*)", "Bash(podman volume prune*)"],
        instruction: "Never run `docker system prune`, `docker volume prune`, `docker volume rm` or `docker compose down -v`."),
    rule!("AGENT-CTR-002", "containers", Ask, Low, DESTROY,
        title: "Pruning images, containers or networks, or force-removing containers",
        why: "Other projects' containers and cached images go too.",
        instead: "Remove the named container or image you created.",
        settings: ["Bash(docker image prune*)", "Bash(docker container prune*)", "Bash(docker network prune*)", "Bash(docker builder prune*)"],
        instruction: "Ask before pruning Docker images, containers or networks."),
    rule!("AGENT-CTR-003", "containers", Ask, High, PERMS,
        title: "Running containers with host access (`--privileged`, `-v /:/host`, the Docker socket, host PID namespace)",
        why: "Such a container is root on the host.",
        instead: "Mount only the project directory and drop privileges.",
        settings: ["Bash(docker run --privileged *)", "Bash(docker run * --privileged *)"],
        instruction: "Ask before running a container with `--privileged`, `-v /:/...` or the Docker socket mounted."),
    // ---- databases ----
    rule!("AGENT-DB-001", "databases", Deny, Critical, DESTROY,
        title: "Dropping or truncating databases, schemas, tables or users (`DROP`, `TRUNCATE`, `dropdb`, `FLUSHALL`, `dropDatabase()`)",
        why: "The data is gone unless a backup is restored.",
        instead: "Write a migration the user reviews; work on a local or disposable database.",
        settings: ["Bash(dropdb *)", "Bash(mysqladmin * drop *)", "Bash(redis-cli * FLUSHALL*)", "Bash(redis-cli FLUSHALL*)", "Bash(redis-cli * FLUSHDB*)", "Bash(redis-cli FLUSHDB*)"],
        instruction: "Never run `DROP`, `TRUNCATE`, `dropdb`, `FLUSHALL`/`FLUSHDB` or `dropDatabase()` against a database; write a migration for review."),
    rule!("AGENT-DB-002", "databases", Deny, Critical, DESTROY,
        title: "Deleting or updating every row (`DELETE FROM t` or `UPDATE t SET ...` without `WHERE`)",
        why: "A missing WHERE clause rewrites or empties the whole table.",
        instead: "Add a WHERE clause, run the matching SELECT first, and wrap it in a transaction.",
        settings: [],
        instruction: "Never run `DELETE` or `UPDATE` without a `WHERE` clause; run the matching `SELECT` first."),
    rule!("AGENT-DB-003", "databases", Ask, High, DESTROY,
        title: "Changing data or schema on a database that looks like production",
        why: "Writes to production bypass review and backups.",
        instead: "Run it on a local or staging database; ask the user for production.",
        settings: [],
        instruction: "Ask before any write (`INSERT`, `UPDATE`, `DELETE`, `ALTER`) to a production database."),
    rule!("AGENT-DB-004", "databases", Deny, High, DESTROY,
        title: "Resetting databases through ORM and migration tools (`prisma migrate reset`, `db push --force-reset`, `rails db:drop`, `manage.py flush`, `alembic downgrade base`)",
        why: "These drop every table and recreate an empty schema.",
        instead: "Create a new migration; reset only a disposable local database after asking.",
        settings: ["Bash(prisma migrate reset*)", "Bash(npx prisma migrate reset*)", "Bash(rails db:drop*)", "Bash(rails db:reset*)", "Bash(rake db:drop*)", "Bash(python manage.py flush*)"],
        instruction: "Never run `prisma migrate reset`, `prisma db push --force-reset`, `rails db:drop`/`db:reset` or `manage.py flush`."),
    // ---- pipe to shell ----
    rule!("AGENT-PIPE-001", "pipe-to-shell", Deny, High, REMOTE_CODE,
        title: "Running code downloaded from the network (`curl ... | sh`, `bash <(curl ...)`, `eval \"$(curl ...)\"`)",
        why: "The script is unreviewed and can change between the read and the run.",
        instead: "Download to a file, show it to the user, verify a checksum, then run it.",
        settings: [],
        instruction: "Never pipe `curl` or `wget` output into a shell or interpreter; download the script, review it, then run it."),
    rule!("AGENT-PIPE-002", "pipe-to-shell", Ask, Medium, REMOTE_CODE,
        title: "Feeding generated or decoded text to a shell (`base64 -d | sh`, `... | bash`)",
        why: "What runs cannot be judged from the command line.",
        instead: "Write the script to a file and run it by name, so it can be reviewed.",
        settings: [],
        instruction: "Do not pipe generated or decoded text into `sh`/`bash`; write a script file and run it."),
    // ---- secrets ----
    rule!("AGENT-SECRET-001", "secrets", Deny, High, LEAK,
        title: "Reading `.env` files",
        why: "They hold live credentials; once in the transcript they are leaked.",
        instead: "Read `.env.example`, or ask the user which variable names exist.",
        settings: ["Read(./.env)", "Read(./.env.*)", "Read(**/.env)", "Read(**/.env.*)", "Bash(cat .env*)", "Bash(cat */.env*)"],
        instruction: "Never read `.env` or `.env.*` files (with any tool or command); use `.env.example`."),
    rule!("AGENT-SECRET-002", "secrets", Deny, Critical, LEAK,
        title: "Reading credential files (`~/.ssh/id_*`, `~/.aws/credentials`, `~/.netrc`, `~/.git-credentials`, `~/.docker/config.json`, `~/.kube/config`, `*.pem`, `*.key`)",
        why: "These are long-lived keys to the user's accounts.",
        instead: "Use the CLI that holds the credential (`aws sts get-caller-identity`, `ssh -T`) without printing it.",
        settings: ["Read(~/.ssh/**)", "Read(~/.aws/**)", "Read(~/.gnupg/**)", "Read(~/.netrc)", "Read(~/.git-credentials)", "Read(~/.docker/config.json)", "Read(~/.kube/**)", "Read(~/.config/gcloud/**)", "Read(~/.azure/**)", "Read(~/.npmrc)", "Read(~/.pypirc)", "Read(**/*.pem)", "Read(**/*.key)"],
        instruction: "Never read `~/.ssh`, `~/.aws`, `~/.kube`, `~/.netrc`, `~/.git-credentials`, `~/.docker/config.json`, `*.pem` or `*.key`."),
    rule!("AGENT-SECRET-003", "secrets", Ask, Medium, LEAK,
        title: "Dumping the environment or exporting tokens (`env`, `printenv`, `gh auth token`, `aws configure export-credentials`, `/proc/*/environ`)",
        why: "The environment and CLI token stores hold credentials.",
        instead: "Print the one non-secret variable you need (`printenv PATH`).",
        settings: ["Bash(env)", "Bash(printenv)", "Bash(gh auth token*)", "Bash(aws configure export-credentials*)"],
        instruction: "Do not print the whole environment or CLI tokens; read only the one non-secret variable you need."),
    // ---- secret stores (vault, 1Password, Doppler, AWS Secrets Manager) ----
    rule!("AGENT-VAULT-001", "secret-stores", Deny, High, DESTROY,
        title: "Deleting or disabling secrets, vaults, engines or auth methods (`vault kv delete`, `vault secrets disable`, `op item delete`, `doppler secrets delete`, `aws secretsmanager delete-secret`)",
        why: "Applications lose their credentials at once; destroyed versions cannot be recovered.",
        instead: "Ask the user; rotate secrets through the team's normal process.",
        settings: ["Bash(vault kv delete *)", "Bash(vault kv destroy *)", "Bash(vault kv metadata delete *)", "Bash(vault delete *)", "Bash(vault secrets disable *)", "Bash(vault auth disable *)", "Bash(op item delete *)", "Bash(op vault delete *)", "Bash(doppler secrets delete *)", "Bash(aws secretsmanager delete-secret *)"],
        instruction: "Never delete, destroy or disable secrets, vaults, secret engines or auth methods (`vault`, `op`, `doppler`, `aws secretsmanager`)."),
    rule!("AGENT-VAULT-002", "secret-stores", Ask, Medium, DESTROY,
        title: "Overwriting secret values or revoking leases (`aws secretsmanager put-secret-value`/`update-secret`, `vault lease revoke`)",
        why: "Clients using the old value break.",
        instead: "Ask the user to rotate the secret.",
        settings: ["Bash(aws secretsmanager put-secret-value *)", "Bash(aws secretsmanager update-secret *)", "Bash(vault lease revoke *)"],
        instruction: "Ask before overwriting a stored secret or revoking leases."),
    // ---- publishing ----
    rule!("AGENT-PUB-001", "publishing", Deny, High, &["STRIDE:Tampering", "CWE-1395"],
        title: "Publishing packages or releases (`npm publish`, `cargo publish`, `twine upload`, `poetry publish`, `gem push`, `mvn deploy`)",
        why: "A published version is public and permanent; a mistake reaches every user.",
        instead: "Run the dry run (`npm publish --dry-run`, `cargo publish --dry-run`) and let the user publish.",
        settings: ["Bash(npm publish*)", "Bash(yarn publish*)", "Bash(yarn npm publish*)", "Bash(pnpm publish*)", "Bash(cargo publish*)", "Bash(twine upload *)", "Bash(poetry publish*)", "Bash(gem push *)", "Bash(mvn deploy*)"],
        instruction: "Never run `npm publish`, `cargo publish`, `twine upload`, `poetry publish` or `gem push`; run the `--dry-run` and let the user publish."),
    rule!("AGENT-PUB-002", "publishing", Deny, High, DESTROY,
        title: "Unpublishing or yanking released versions (`npm unpublish`, `cargo yank`, `gem yank`)",
        why: "Dependents' builds break.",
        instead: "Publish a fixed version and deprecate the bad one after asking the user.",
        settings: ["Bash(npm unpublish*)", "Bash(cargo yank *)", "Bash(gem yank *)"],
        instruction: "Never run `npm unpublish`, `cargo yank` or `gem yank`."),
    // ---- self-protection ----
    rule!("AGENT-SELF-001", "self-protection", Deny, Critical, TAMPER_GUARD,
        title: "Changing Claude Code settings or hooks (`.claude/settings.json`, `.claude/settings.local.json`, `~/.claude/settings.json`)",
        why: "The settings hold the permission rules and the hook that enforce this policy; an edit switches them off.",
        instead: "Tell the user which setting should change and why; they edit it.",
        settings: ["Edit(.claude/settings.json)", "Edit(.claude/settings.local.json)", "Edit(~/.claude/settings.json)", "Edit(~/.claude/settings.local.json)"],
        instruction: "Never edit `.claude/settings.json`, `.claude/settings.local.json` or `~/.claude/settings.json`; tell the user what should change."),
    rule!("AGENT-SELF-002", "self-protection", Ask, High, TAMPER_GUARD,
        title: "Changing the guard policy (`guard.toml`) or removing the guard binary",
        why: "guard.toml can disable or downgrade the rules the hook enforces.",
        instead: "Propose the change to the user.",
        settings: ["Edit(guard.toml)", "Edit(**/guard.toml)"],
        instruction: "Do not edit `guard.toml` or remove the `guard` binary; propose the change to the user."),
    // ---- sync (rsync, rclone) ----
    rule!("AGENT-SYNC-001", "sync", Ask, Medium, DESTROY,
        title: "Mirroring with deletion (`rsync --delete`, `--remove-source-files`, `rclone sync`, `rclone move`)",
        why: "Files missing from the source, or the source itself, are deleted; a wrong direction wipes the destination.",
        instead: "Run with `--dry-run` first and show the list, or copy without deletion (`rsync -a`, `rclone copy`).",
        settings: ["Bash(rsync * --delete*)", "Bash(rsync * --remove-source-files*)", "Bash(rclone sync *)", "Bash(rclone move *)"],
        instruction: "Ask before `rsync --delete`, `rsync --remove-source-files`, `rclone sync` or `rclone move`; run `--dry-run` first."),
    rule!("AGENT-SYNC-002", "sync", Deny, High, DESTROY,
        title: "Deleting remote storage with rclone (`rclone purge`, `delete`, `deletefile`, `rmdir`)",
        why: "Remote objects are deleted permanently.",
        instead: "List with `rclone ls` and ask the user.",
        settings: ["Bash(rclone purge *)", "Bash(rclone delete *)", "Bash(rclone deletefile *)"],
        instruction: "Never run `rclone purge`, `rclone delete` or `rclone deletefile`."),
    // ---- backup ----
    rule!("AGENT-BACKUP-001", "backup", Deny, Critical, DESTROY,
        title: "Deleting or pruning backups (`restic forget/prune`, `borg delete/prune/compact`, `velero ... delete`)",
        why: "Backups are the last copy; deleting them turns the next mistake into data loss.",
        instead: "List snapshots (`restic snapshots`, `borg list`, `velero backup get`) and let the user prune.",
        settings: ["Bash(restic forget*)", "Bash(restic prune*)", "Bash(borg delete*)", "Bash(borg prune*)", "Bash(borg compact*)", "Bash(velero backup delete *)", "Bash(velero restore delete *)", "Bash(velero schedule delete *)", "Bash(velero snapshot delete *)"],
        instruction: "Never run `restic forget`, `restic prune`, `borg delete`, `borg prune`, `borg compact` or `velero ... delete`."),
    // ---- HTTP data APIs (Elasticsearch, OpenSearch, Meilisearch, Algolia, GitLab, Jenkins) ----
    rule!("AGENT-HTTP-001", "http-apis", Deny, Critical, DESTROY,
        title: "HTTP DELETE of every index (`_all`, `*`) or delete-by-query matching everything",
        why: "One request empties the whole search cluster.",
        instead: "Delete one named index after checking it, or ask the user.",
        settings: [],
        instruction: "Never send `DELETE /_all`, `DELETE /*` or a `match_all` `_delete_by_query`."),
    rule!("AGENT-HTTP-002", "http-apis", Ask, Medium, DESTROY,
        title: "HTTP requests that delete data (`curl -X DELETE`, `_delete_by_query`, Jenkins `doDelete`)",
        why: "API deletions skip every confirmation the UI would ask for.",
        instead: "Use GET to inspect the resource and ask the user before deleting.",
        settings: ["Bash(curl -X DELETE *)", "Bash(curl * -X DELETE *)", "Bash(curl --request DELETE *)"],
        instruction: "Ask before sending HTTP DELETE requests or delete endpoints (`_delete_by_query`, `doDelete`) with curl, wget or httpie."),
    // ---- messaging ----
    rule!("AGENT-MSG-001", "messaging", Deny, High, DESTROY,
        title: "Deleting or purging topics, queues, streams or virtual hosts (Kafka, RabbitMQ, NATS, SQS, SNS)",
        why: "Undelivered messages are lost and producers fail.",
        instead: "Inspect with `--describe`/`list`/`info` and ask the user.",
        settings: ["Bash(kafka-topics * --delete *)", "Bash(rabbitmqctl delete_vhost *)", "Bash(nats stream delete *)", "Bash(nats stream purge *)", "Bash(aws sqs delete-queue *)", "Bash(aws sqs purge-queue *)", "Bash(aws sns delete-topic *)"],
        instruction: "Never delete or purge Kafka topics, RabbitMQ queues or vhosts, NATS streams, SQS queues or SNS topics."),
    rule!("AGENT-MSG-002", "messaging", Ask, Medium, DESTROY,
        title: "Deleting messaging users, consumers, records, ACLs, configs or messages",
        why: "Consumers and permissions break; deleted records are gone.",
        instead: "Ask the user.",
        settings: ["Bash(rabbitmqctl delete_user *)", "Bash(kafka-delete-records *)"],
        instruction: "Ask before deleting messaging users, consumer groups, records, ACLs or messages."),
    // ---- CI ----
    rule!("AGENT-CI-001", "ci", Ask, Medium, DESTROY,
        title: "Deleting CI jobs, nodes, contexts, secrets, runners or pipelines (Jenkins, GitLab, CircleCI)",
        why: "Build and deployment infrastructure, and the secrets in it, are shared by the team.",
        instead: "Ask the user; change CI through reviewed configuration.",
        settings: ["Bash(circleci context delete *)", "Bash(circleci context remove-secret *)", "Bash(gitlab-runner unregister *)"],
        instruction: "Ask before deleting CI jobs, contexts, secrets, runners or pipelines."),
    // ---- GitHub ----
    rule!("AGENT-GH-001", "github", Deny, Critical, DESTROY,
        title: "Deleting, archiving or publishing a repository (`gh repo delete`, `gh repo archive`, `gh repo edit --visibility public`)",
        why: "Deletion loses issues and history; making a repository public leaks its code.",
        instead: "Ask the user to do it in the GitHub UI.",
        settings: ["Bash(gh repo delete *)", "Bash(gh repo archive *)", "Bash(gh repo edit * --visibility *)"],
        instruction: "Never run `gh repo delete`, `gh repo archive` or change a repository's visibility."),
    rule!("AGENT-GH-002", "github", Ask, Medium, DESTROY,
        title: "Deleting GitHub releases, gists, issues, keys, secrets or variables, or `gh api` DELETE requests",
        why: "These deletions are permanent.",
        instead: "Ask the user.",
        settings: ["Bash(gh release delete *)", "Bash(gh gist delete *)", "Bash(gh issue delete *)", "Bash(gh ssh-key delete *)", "Bash(gh secret delete *)", "Bash(gh variable delete *)", "Bash(gh api -X DELETE *)", "Bash(gh api --method DELETE *)"],
        instruction: "Ask before deleting GitHub releases, gists, issues, keys, secrets or variables."),
    rule!("AGENT-GH-003", "github", Ask, Medium, PERMS,
        title: "Changing repository or organisation administration through `gh api` (collaborators, branch protection, hooks, keys, secrets, visibility)",
        why: "Administrative API calls change who can read, push or deploy, outside code review.",
        instead: "Ask the user to change it in the repository settings.",
        settings: [],
        instruction: "Ask before changing collaborators, branch protection, hooks, keys or secrets through `gh api` or `glab api`."),
    // ---- vendor and SaaS CLIs (rows in shell/packs/vendors.rs) ----
    rule!("AGENT-CLI-001", "saas", Deny, Critical, DESTROY,
        title: "Destroying apps, databases, clusters, projects or their data through a vendor or SaaS CLI",
        why: "Vendor CLIs delete hosted resources immediately; most have no undo and no backup of their own.",
        instead: "Take a backup and let the user run the deletion from the vendor's dashboard or CLI.",
        settings: ["Bash(fly apps destroy *)", "Bash(heroku apps:destroy *)", "Bash(heroku pg:reset *)", "Bash(turso db destroy *)", "Bash(pscale database delete *)", "Bash(neonctl projects delete *)", "Bash(atlas clusters delete *)", "Bash(databricks bundle destroy*)", "Bash(doctl compute droplet delete *)", "Bash(hcloud server delete *)", "Bash(argocd app delete *)", "Bash(deck gateway reset*)", "Bash(flux uninstall*)"],
        instruction: "Never destroy apps, databases, clusters or projects with vendor CLIs (fly, heroku, turso, pscale, neonctl, atlas, confluent, databricks, doctl, hcloud, scw, openstack, argocd, ...); ask the user."),
    rule!("AGENT-CLI-002", "saas", Ask, Medium, DESTROY,
        title: "Deleting, stopping, rolling back or revoking resources through a vendor or SaaS CLI",
        why: "These change hosted services outside code review and are often permanent.",
        instead: "Show the user what would change (list or describe it) and let them run the command.",
        settings: [],
        instruction: "Ask before deleting, stopping, rolling back or revoking anything with a vendor or SaaS CLI."),
    // ---- DNS ----
    rule!("AGENT-DNS-001", "dns", Deny, Critical, DESTROY,
        title: "Deleting DNS zones (`aws route53 delete-hosted-zone`, `gcloud dns managed-zones delete`, `az network dns zone delete`)",
        why: "Every record of the domain disappears; mail and web traffic stop until the zone is rebuilt.",
        instead: "Export the zone and let the user delete it.",
        settings: ["Bash(aws route53 delete-hosted-zone *)", "Bash(gcloud dns managed-zones delete *)", "Bash(az network dns zone delete *)"],
        instruction: "Never delete a DNS zone."),
    rule!("AGENT-DNS-002", "dns", Ask, Medium, DESTROY,
        title: "Changing or deleting DNS records (`nsupdate`, `route53 change-resource-record-sets`, record-set deletes, `dnscontrol push`)",
        why: "A wrong record takes a service or mail off the internet, and caches keep the error for the TTL.",
        instead: "Show the record change to the user and let them apply it.",
        settings: ["Bash(nsupdate *)", "Bash(aws route53 change-resource-record-sets *)"],
        instruction: "Ask before changing DNS records."),
    // ---- system packages ----
    rule!("AGENT-PKG-001", "packages", Deny, High, DESTROY,
        title: "Removing essential system packages (libc, systemd, bash, coreutils, sudo, openssh, the kernel or the package manager)",
        why: "The system stops booting, logging in or installing anything.",
        instead: "Leave system packages alone; ask the user.",
        settings: ["Bash(apt remove libc6*)", "Bash(apt-get remove libc6*)", "Bash(apt-get purge systemd*)"],
        instruction: "Never remove essential system packages (libc, systemd, bash, coreutils, sudo, openssh, kernel, package manager)."),
    rule!("AGENT-PKG-002", "packages", Ask, Medium, DESTROY,
        title: "Removing system packages (`apt remove/purge/autoremove`, `dnf remove`, `pacman -R`, `apk del`, `dpkg -r`, `rpm -e`, `snap remove`)",
        why: "Other software on the machine may depend on them.",
        instead: "Simulate (`apt-get -s remove`) and show the list to the user.",
        settings: ["Bash(apt remove *)", "Bash(apt-get remove *)", "Bash(apt purge *)", "Bash(apt-get purge *)", "Bash(apt autoremove*)", "Bash(dnf remove *)", "Bash(yum remove *)"],
        instruction: "Ask before removing system packages."),
    // ---- policy packs (off unless enabled in guard.toml) ----
    rule!("AGENT-POLICY-001", "default-branch", Deny, Medium, TAMPER_GUARD,
        title: "Pushing to the default branch (`git push origin main`, `HEAD:master`)",
        why: "The team's policy is that changes reach the default branch through reviewed pull requests.",
        instead: "Push a feature branch and open a pull request.",
        settings: ["Bash(git push origin main)", "Bash(git push origin master)", "Bash(git push * main)", "Bash(git push * master)"],
        instruction: "Never push to `main` or `master`; push a feature branch and open a pull request."),
    rule!("AGENT-POLICY-002", "pull-requests", Ask, Medium, TAMPER_GUARD,
        title: "Merging or closing pull requests and issues (`gh pr merge`, `gh pr close`, `gh issue close`, `glab mr merge`)",
        why: "The team's policy is that people decide when work is merged or closed.",
        instead: "Leave a comment and let a maintainer merge or close it.",
        settings: ["Bash(gh pr merge *)", "Bash(gh pr close *)", "Bash(gh issue close *)", "Bash(glab mr merge *)", "Bash(glab mr close *)", "Bash(glab issue close *)"],
        instruction: "Ask before merging or closing pull requests, merge requests or issues."),
    rule!("AGENT-POLICY-003", "tags", Deny, Medium, DESTROY,
        title: "Deleting tags (`git tag -d`, `git push --delete origin v1`, `git push origin :refs/tags/v1`)",
        why: "Release tags are what builds and users pin to; deleting one breaks them.",
        instead: "Create a new tag; leave published ones alone.",
        settings: ["Bash(git tag -d *)", "Bash(git tag --delete *)"],
        instruction: "Never delete git tags, locally or on a remote."),
    rule!("AGENT-POLICY-004", "project-rm", Ask, Low, DESTROY,
        title: "Recursive deletes inside the project (`rm -r`, `rm -rf` of any directory)",
        why: "The team's policy is that recursive deletes are confirmed, even inside the working copy.",
        instead: "Delete single files, or ask the user before removing a directory.",
        settings: ["Bash(rm -r *)", "Bash(rm -rf *)", "Bash(rm -fr *)", "Bash(rm -R *)"],
        instruction: "Ask before deleting any directory recursively, even inside the project."),
    // ---- shell analysis itself ----
    rule!("AGENT-SHELL-001", "shell", Ask, Medium, &["STRIDE:Tampering", "CWE-78"],
        title: "A command that cannot be analysed (unparsable, too large, nested too deeply, or built from variables)",
        why: "Whatever cannot be parsed cannot be judged; it may hide a destructive command.",
        instead: "Split the command into plain steps without `eval` or nested shells.",
        settings: [],
        instruction: "Write plain shell commands: no `eval`, no nested `bash -c` chains, no commands built from variables."),
];

/// Severity of a rule, or `Medium` for unknown ids.
pub fn severity_of(id: &str) -> Severity {
    find(id)
        .map(|r| r.rule.severity)
        .unwrap_or(Severity::Medium)
}

/// The rule table for `guard rules agent-policy` and `guard explain`.
pub fn rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| catalogue().iter().map(|r| r.rule).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_packs_known() {
        let mut seen = BTreeSet::new();
        for r in catalogue() {
            assert!(seen.insert(r.rule.id), "duplicate id {}", r.rule.id);
            assert!(PACKS.contains(&r.pack), "unknown pack {}", r.pack);
            assert!(pack_title(r.pack).is_some(), "no heading for {}", r.pack);
            assert!(r.rule.id.starts_with("AGENT-"));
            assert!(r.decision != Decision::Allow, "{} allows", r.rule.id);
            assert!(!r.instruction.is_empty() && !r.rule.remediation.is_empty());
        }
    }

    #[test]
    fn settings_rules_use_accepted_forms() {
        // `Tool(specifier)` with the tools Claude Code consults, no `)` inside.
        for r in catalogue() {
            for s in r.settings {
                let (tool, rest) = s.split_once('(').expect("Tool(specifier)");
                assert!(["Bash", "Read", "Edit"].contains(&tool), "{s}");
                let inner = rest.strip_suffix(')').expect("closing paren");
                assert!(!inner.is_empty() && !inner.contains(')'), "{s}");
            }
        }
    }

    #[test]
    fn settings_rules_are_not_repeated() {
        let mut seen = BTreeSet::new();
        for r in catalogue() {
            for s in r.settings {
                assert!(seen.insert(*s), "{s} is listed twice ({})", r.rule.id);
            }
        }
    }

    #[test]
    fn decisions_order_worst_last() {
        assert!(Decision::Deny > Decision::Ask && Decision::Ask > Decision::Allow);
    }
}
