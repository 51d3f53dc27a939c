//! CloudFormation templates (JSON and YAML, with the `!Ref`, `!Sub`,
//! `!GetAtt`... short forms) through the same checks as Terraform.
//!
//! Each resource of a template is mapped onto the Terraform resource type
//! and attribute names the checks know (`AWS::RDS::DBInstance`
//! `DeletionProtection` becomes `aws_db_instance` `deletion_protection`);
//! intrinsic functions are evaluated where the template alone decides the
//! value (`Ref` to a parameter with a default, `Fn::Sub` and `Fn::Join` over
//! known parts), else the value is unresolved (a lower-confidence "cannot
//! verify" finding) or unknown until deployment (`Fn::GetAtt`, a `Ref` to a
//! resource or a pseudo parameter).

use crate::json_lines;
use crate::model::{Mode, Resource};
use crate::value::{Node, V};
use crate::InfraError;
use std::collections::HashMap;

/// Whether a file name is one a YAML template may have.
pub fn is_yaml_name(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".template")
}

/// Whether a parsed document is a CloudFormation template: it has
/// `AWSTemplateFormatVersion`, or a `Resources` object whose entries have an
/// `AWS::...` `Type`.
pub fn is_template(doc: &Node) -> bool {
    if doc.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    match doc.get("Resources").map(|r| &r.v) {
        Some(V::Obj(rs)) => {
            !rs.is_empty()
                && rs.iter().all(|(_, r)| {
                    r.get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t.contains("::"))
                })
        }
        _ => false,
    }
}

/// Cheap test before parsing a walked file: only text naming the template
/// keys can be a template.
pub fn may_be_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("Resources")
}

/// Parses a template, JSON or YAML (by its first non-blank character).
pub fn parse(path: &str, text: &str) -> Result<Node, InfraError> {
    let first = text.trim_start_matches('\u{feff}').trim_start();
    if first.starts_with('{') {
        json_lines::parse(text, 1, false).map_err(|e| InfraError::Parse {
            path: path.into(),
            line: e.line,
            col: e.col,
            message: e.message,
        })
    } else {
        parse_yaml(path, text)
    }
}

/// Most YAML nesting accepted (the parser has its own recursion limit too).
const MAX_DEPTH: usize = 200;

fn parse_yaml(path: &str, text: &str) -> Result<Node, InfraError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((1, 1));
        // The message ends with " at line L column C"; the place is said once.
        let msg = e.to_string();
        let msg = msg
            .split(" at line ")
            .next()
            .unwrap_or(msg.as_str())
            .to_string();
        InfraError::Parse {
            path: path.into(),
            line,
            col,
            message: format!("not valid YAML: {msg}"),
        }
    })?;
    yaml_node(&value, 0).map_err(|m| InfraError::Input {
        path: path.into(),
        message: m,
    })
}

fn yaml_key(k: &serde_yaml::Value) -> Result<String, String> {
    use serde_yaml::Value as Y;
    match k {
        Y::String(s) => Ok(s.clone()),
        Y::Number(n) => Ok(n.to_string()),
        Y::Bool(b) => Ok(b.to_string()),
        Y::Null => Ok("null".into()),
        _ => Err("a mapping key that is not a scalar".into()),
    }
}

/// The long form of a short-form tag: `!Ref` is `Ref`, `!Sub` is `Fn::Sub`.
fn intrinsic_name(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "If" => "Fn::If",
        "Equals" => "Fn::Equals",
        "Not" => "Fn::Not",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        _ => return None,
    })
}

fn yaml_node(v: &serde_yaml::Value, depth: usize) -> Result<Node, String> {
    use serde_yaml::Value as Y;
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    let v = match v {
        Y::Null => V::Null,
        Y::Bool(b) => V::Bool(*b),
        Y::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
        Y::String(s) => V::Str(s.clone()),
        Y::Sequence(xs) => V::List(
            xs.iter()
                .map(|x| yaml_node(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(m) => V::Obj(
            m.iter()
                .map(|(k, x)| Ok((yaml_key(k)?, yaml_node(x, depth + 1)?)))
                .collect::<Result<_, String>>()?,
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let Some(name) = intrinsic_name(tag) else {
                return Err(format!("unknown tag `!{tag}`"));
            };
            let mut inner = yaml_node(&t.value, depth + 1)?;
            // `!GetAtt Res.Attr` is the scalar form of `[Res, Attr]`.
            if name == "Fn::GetAtt" {
                if let V::Str(s) = &inner.v {
                    let parts: Vec<Node> = s
                        .splitn(2, '.')
                        .map(|p| Node::new(V::Str(p.to_string()), 0))
                        .collect();
                    inner = Node::new(V::List(parts), 0);
                }
            }
            V::Obj(vec![(name.to_string(), inner)])
        }
    };
    Ok(Node::new(v, 0))
}

/// What a template's parameters and resources say about `Ref` targets.
struct Names<'a> {
    /// Parameter name to its `Default`, if any.
    params: HashMap<&'a str, Option<&'a Node>>,
    resources: Vec<&'a str>,
}

/// Most intrinsic evaluations per template value (bounds `Ref` chains and
/// huge documents).
const MAX_EVAL_DEPTH: usize = 64;

fn unresolved(why: String, line: u32) -> Node {
    Node::new(V::Unresolved(why), line)
}

fn eval(n: &Node, names: &Names<'_>, depth: usize) -> Node {
    if depth > MAX_EVAL_DEPTH {
        return unresolved("nested too deeply to evaluate".into(), n.line);
    }
    match &n.v {
        V::Obj(fields) if fields.len() == 1 && is_intrinsic(&fields[0].0) => {
            intrinsic(&fields[0].0, &fields[0].1, n.line, names, depth)
        }
        V::Obj(fields) => {
            let mut out = Vec::with_capacity(fields.len());
            for (k, v) in fields {
                let e = eval(v, names, depth + 1);
                if !is_no_value(v) {
                    out.push((k.clone(), e));
                }
            }
            Node::spanning(V::Obj(out), n.line, n.end)
        }
        V::List(xs) => Node::spanning(
            V::List(
                xs.iter()
                    .filter(|x| !is_no_value(x))
                    .map(|x| eval(x, names, depth + 1))
                    .collect(),
            ),
            n.line,
            n.end,
        ),
        _ => n.clone(),
    }
}

fn is_intrinsic(k: &str) -> bool {
    k == "Ref" || k == "Condition" || k.starts_with("Fn::")
}

/// `{"Ref": "AWS::NoValue"}`: the property is removed.
fn is_no_value(n: &Node) -> bool {
    n.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue")
}

fn intrinsic(name: &str, arg: &Node, line: u32, names: &Names<'_>, depth: usize) -> Node {
    match name {
        "Ref" => {
            let Some(target) = arg.as_str() else {
                return unresolved("`Ref` to something that is not a name".into(), line);
            };
            reference(target, line, names, depth)
        }
        "Fn::GetAtt" | "Fn::GetAZs" | "Fn::ImportValue" => Node::new(V::Unknown, line),
        "Fn::Sub" => {
            let (template, vars) = match &arg.v {
                V::Str(s) => (s.as_str(), None),
                V::List(xs) if !xs.is_empty() => match xs[0].as_str() {
                    Some(s) => (s, xs.get(1)),
                    None => return unresolved("`Fn::Sub` without a string".into(), line),
                },
                _ => return unresolved("`Fn::Sub` without a string".into(), line),
            };
            sub(template, vars, line, names, depth)
        }
        "Fn::Join" => {
            let V::List(xs) = &arg.v else {
                return unresolved("`Fn::Join` without a list".into(), line);
            };
            let (Some(sep), Some(parts)) = (xs.first().and_then(Node::as_str), xs.get(1)) else {
                return unresolved("`Fn::Join` without a separator and a list".into(), line);
            };
            let parts = eval(parts, names, depth + 1);
            let V::List(items) = &parts.v else {
                return match parts.v {
                    V::Unresolved(_) | V::Unknown => parts,
                    _ => unresolved("`Fn::Join` of something that is not a list".into(), line),
                };
            };
            let mut out = Vec::new();
            for i in items {
                match &i.v {
                    V::Str(s) => out.push(s.clone()),
                    V::Num(x) => out.push(x.to_string()),
                    V::Unresolved(_) => return i.clone(),
                    _ => return Node::new(V::Unknown, line),
                }
            }
            Node::new(V::Str(out.join(sep)), line)
        }
        other => unresolved(
            format!("`{other}` (evaluated only when the stack is deployed)"),
            line,
        ),
    }
}

fn reference(target: &str, line: u32, names: &Names<'_>, depth: usize) -> Node {
    if let Some(default) = names.params.get(target) {
        return match default {
            Some(d) => {
                let mut v = eval(d, names, depth + 1);
                v.line = line;
                v.end = line;
                v
            }
            None => unresolved(
                format!("`Ref {target}` (parameter without a default)"),
                line,
            ),
        };
    }
    // A resource's id or a pseudo parameter: known once deployed.
    if names.resources.contains(&target) || target.starts_with("AWS::") {
        return Node::new(V::Unknown, line);
    }
    unresolved(
        format!("`Ref {target}` (no such parameter or resource)"),
        line,
    )
}

fn sub(template: &str, vars: Option<&Node>, line: u32, names: &Names<'_>, depth: usize) -> Node {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        // `${!Literal}` is the literal text `${Literal}`.
        if let Some(lit) = after.strip_prefix('!') {
            out.push_str("${");
            rest = lit;
            continue;
        }
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let name = &after[..end];
        let value = match vars.and_then(|m| m.get(name)) {
            Some(v) => eval(v, names, depth + 1),
            None if name.contains('.') => Node::new(V::Unknown, line),
            None => reference(name, line, names, depth + 1),
        };
        match &value.v {
            V::Str(s) => out.push_str(s),
            V::Num(x) => out.push_str(&x.to_string()),
            V::Bool(b) => out.push_str(&b.to_string()),
            V::Unresolved(_) if template.trim() == format!("${{{name}}}") => return value,
            // Known at deployment (an id, an ARN, the region): kept as written.
            _ => {
                out.push_str("${");
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Node::new(V::Str(out), line)
}

fn obj(fields: Vec<(&str, Node)>, line: u32) -> Node {
    Node::new(
        V::Obj(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        ),
        line,
    )
}

/// Copies `props[from]` to `to` when present.
fn copy(props: &Node, pairs: &[(&str, &str)]) -> Vec<(String, Node)> {
    pairs
        .iter()
        .filter_map(|(from, to)| props.get(from).map(|v| (to.to_string(), v.clone())))
        .collect()
}

fn list_of(n: Option<&Node>) -> Node {
    match n {
        Some(x) if matches!(x.v, V::List(_)) => x.clone(),
        Some(x) => Node::new(V::List(vec![x.clone()]), x.line),
        None => Node::new(V::List(Vec::new()), 0),
    }
}

/// A security group rule in CloudFormation's shape as a Terraform rule.
fn sg_rule(r: &Node) -> Node {
    let mut f = copy(
        r,
        &[
            ("IpProtocol", "protocol"),
            ("FromPort", "from_port"),
            ("ToPort", "to_port"),
            ("Description", "description"),
        ],
    );
    if let Some(c) = r.get("CidrIp") {
        f.push(("cidr_blocks".into(), list_of(Some(c))));
    }
    if let Some(c) = r.get("CidrIpv6") {
        f.push(("ipv6_cidr_blocks".into(), list_of(Some(c))));
    }
    // `-1` (all protocols) carries no ports.
    if r.get("IpProtocol").and_then(Node::as_str) == Some("-1") {
        f.retain(|(k, _)| k != "from_port" && k != "to_port");
        f.push(("from_port".into(), Node::new(V::Num(0.0), r.line)));
        f.push(("to_port".into(), Node::new(V::Num(0.0), r.line)));
    }
    Node::spanning(V::Obj(f), r.line, r.end)
}

/// The Terraform resources a CloudFormation resource stands for: type and
/// values (an IAM role with inline policies is the role plus one
/// `aws_iam_role_policy` per policy).
fn map_resource(cfn_type: &str, props: &Node, line: u32) -> Vec<(&'static str, Node)> {
    let mut out: Vec<(&'static str, Node)> = Vec::new();
    let doc = |k: &str| props.get(k).cloned();
    let with_policy = |t: &'static str, attr: &str, key: &str, out: &mut Vec<_>| {
        if let Some(d) = doc(key) {
            out.push((t, obj(vec![(attr, d)], line)));
        }
    };
    let inline_policies = |t: &'static str, out: &mut Vec<(&'static str, Node)>| {
        if let Some(V::List(ps)) = props.get("Policies").map(|p| &p.v) {
            for p in ps {
                if let Some(d) = p.get("PolicyDocument") {
                    out.push((t, obj(vec![("policy", d.clone())], p.line.max(line))));
                }
            }
        }
    };
    let mapped = |pairs: &[(&str, &str)]| {
        Node::spanning(V::Obj(copy(props, pairs)), line, props.end.max(line))
    };
    match cfn_type {
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            with_policy("aws_iam_policy", "policy", "PolicyDocument", &mut out)
        }
        "AWS::IAM::Role" => {
            with_policy(
                "aws_iam_role",
                "assume_role_policy",
                "AssumeRolePolicyDocument",
                &mut out,
            );
            inline_policies("aws_iam_role_policy", &mut out);
        }
        "AWS::IAM::User" => inline_policies("aws_iam_user_policy", &mut out),
        "AWS::IAM::Group" => inline_policies("aws_iam_group_policy", &mut out),
        "AWS::S3::BucketPolicy" => {
            with_policy("aws_s3_bucket_policy", "policy", "PolicyDocument", &mut out)
        }
        "AWS::SQS::QueuePolicy" => {
            with_policy("aws_sqs_queue_policy", "policy", "PolicyDocument", &mut out)
        }
        "AWS::SNS::TopicPolicy" => {
            with_policy("aws_sns_topic_policy", "policy", "PolicyDocument", &mut out)
        }
        "AWS::KMS::Key" => with_policy("aws_kms_key", "policy", "KeyPolicy", &mut out),
        "AWS::EC2::SecurityGroup" => {
            let rules = |k: &str| match props.get(k).map(|r| &r.v) {
                Some(V::List(rs)) => Node::new(V::List(rs.iter().map(sg_rule).collect()), line),
                Some(_) => props.get(k).cloned().unwrap_or_else(|| NULL_LIST.clone()),
                None => NULL_LIST.clone(),
            };
            let mut v = vec![("ingress", rules("SecurityGroupIngress"))];
            if props.get("SecurityGroupEgress").is_some() {
                v.push(("egress", rules("SecurityGroupEgress")));
            }
            out.push(("aws_security_group", obj(v, line)));
        }
        "AWS::EC2::SecurityGroupIngress" => {
            let mut r = sg_rule(props);
            if let V::Obj(f) = &mut r.v {
                f.push(("type".into(), Node::new(V::Str("ingress".into()), line)));
            }
            r.line = line;
            out.push(("aws_security_group_rule", r));
        }
        "AWS::RDS::DBInstance" => out.push((
            "aws_db_instance",
            mapped(&[
                ("StorageEncrypted", "storage_encrypted"),
                ("KmsKeyId", "kms_key_id"),
                ("DeletionProtection", "deletion_protection"),
                ("PubliclyAccessible", "publicly_accessible"),
            ]),
        )),
        "AWS::RDS::DBCluster" => out.push((
            "aws_rds_cluster",
            mapped(&[
                ("StorageEncrypted", "storage_encrypted"),
                ("KmsKeyId", "kms_key_id"),
                ("DeletionProtection", "deletion_protection"),
            ]),
        )),
        "AWS::EC2::Volume" => out.push((
            "aws_ebs_volume",
            mapped(&[("Encrypted", "encrypted"), ("KmsKeyId", "kms_key_id")]),
        )),
        "AWS::EFS::FileSystem" => out.push((
            "aws_efs_file_system",
            mapped(&[("Encrypted", "encrypted"), ("KmsKeyId", "kms_key_id")]),
        )),
        "AWS::DynamoDB::Table" => out.push((
            "aws_dynamodb_table",
            mapped(&[("DeletionProtectionEnabled", "deletion_protection_enabled")]),
        )),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let mut v = Vec::new();
            if let Some(V::List(attrs)) = props.get("LoadBalancerAttributes").map(|a| &a.v) {
                for a in attrs {
                    if a.get("Key").and_then(Node::as_str) == Some("deletion_protection.enabled") {
                        if let Some(val) = a.get("Value") {
                            v.push(("enable_deletion_protection", val.clone()));
                        }
                    }
                }
            }
            if let Some(s) = props.get("Scheme") {
                let internal = s.as_str().map(|s| V::Bool(s == "internal"));
                v.push((
                    "internal",
                    Node::new(internal.unwrap_or_else(|| s.v.clone()), s.line),
                ));
            }
            out.push(("aws_lb", obj(v, line)));
        }
        "AWS::Lambda::Permission" => out.push((
            "aws_lambda_permission",
            mapped(&[
                ("Action", "action"),
                ("Principal", "principal"),
                ("SourceArn", "source_arn"),
                ("SourceAccount", "source_account"),
                ("FunctionUrlAuthType", "function_url_auth_type"),
            ]),
        )),
        _ => {}
    }
    out
}

static NULL_LIST: Node = Node {
    v: V::List(Vec::new()),
    line: 0,
    end: 0,
};

/// Gives every node without a line (YAML) the line `line`.
fn fill_lines(n: &mut Node, line: u32) {
    if n.line == 0 {
        n.line = line;
        n.end = n.end.max(line);
    }
    match &mut n.v {
        V::List(xs) => xs.iter_mut().for_each(|x| fill_lines(x, line)),
        V::Obj(fs) => fs.iter_mut().for_each(|(_, x)| fill_lines(x, line)),
        _ => {}
    }
}

/// The line of resource `id` under `Resources:` in the template text (YAML
/// nodes carry no lines): the first line after `Resources` whose key is `id`.
fn resource_line(text: &str, id: &str) -> u32 {
    let mut in_resources = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with("Resources:") || t.starts_with("\"Resources\"") {
            in_resources = true;
            continue;
        }
        if !in_resources {
            continue;
        }
        let key = t.trim_start_matches(['"', '\'']);
        if let Some(rest) = key.strip_prefix(id) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with(':') {
                return i as u32 + 1;
            }
        }
    }
    1
}

/// The resources of a template, as the checks see them.
pub fn resources(doc: &Node, text: &str) -> Vec<Resource> {
    let params: HashMap<&str, Option<&Node>> = match doc.get("Parameters").map(|p| &p.v) {
        Some(V::Obj(ps)) => ps
            .iter()
            .map(|(k, p)| (k.as_str(), p.get("Default")))
            .collect(),
        _ => HashMap::new(),
    };
    let Some(V::Obj(rs)) = doc.get("Resources").map(|r| &r.v) else {
        return Vec::new();
    };
    let names = Names {
        params,
        resources: rs.iter().map(|(k, _)| k.as_str()).collect(),
    };
    let mut out = Vec::new();
    for (id, r) in rs {
        let Some(cfn_type) = r.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let line = if r.line > 0 {
            r.line
        } else {
            resource_line(text, id)
        };
        let mut props = r
            .get("Properties")
            .map(|p| eval(p, &names, 0))
            .unwrap_or_else(|| Node::new(V::Obj(Vec::new()), line));
        fill_lines(&mut props, line);
        for (i, (rtype, mut values)) in map_resource(cfn_type, &props, line).into_iter().enumerate()
        {
            fill_lines(&mut values, line);
            let address = if i == 0 {
                format!("Resources.{id}")
            } else {
                format!("Resources.{id}.Policies[{}]", i - 1)
            };
            out.push(Resource {
                mode: Mode::Managed,
                rtype: rtype.to_string(),
                name: id.clone(),
                address,
                line: values.line.max(line),
                values,
                change: None,
                refs: Vec::new(),
                configured: None,
                via_module: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(text: &str) -> Vec<Resource> {
        let doc = parse("t.yaml", text).unwrap();
        assert!(is_template(&doc));
        resources(&doc, text)
    }

    #[test]
    fn yaml_short_forms_are_evaluated() {
        let t = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Protect:\n    Type: String\n    Default: 'false'\n  Open:\n    Type: String\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DeletionProtection: !Ref Protect\n      StorageEncrypted: !Ref Open\n      KmsKeyId: !GetAtt Key.Arn\n      DBName: !Sub '${AWS::StackName}-db'\n";
        let rs = res(t);
        assert_eq!(rs.len(), 1);
        let r = &rs[0];
        assert_eq!(r.rtype, "aws_db_instance");
        assert_eq!(r.address, "Resources.Db");
        assert_eq!(r.line, 9);
        assert_eq!(
            r.values.get("deletion_protection").unwrap().as_bool(),
            Some(false)
        );
        assert_eq!(
            r.values.get("storage_encrypted").unwrap().unresolved(),
            Some("`Ref Open` (parameter without a default)")
        );
        assert_eq!(r.values.get("kms_key_id").unwrap().v, V::Unknown);
    }

    #[test]
    fn sub_and_join_over_known_parts() {
        let names = Names {
            params: HashMap::new(),
            resources: vec!["Bucket"],
        };
        let s = sub("arn:aws:s3:::${Bucket}/*", None, 1, &names, 0);
        assert_eq!(s.as_str(), Some("arn:aws:s3:::${Bucket}/*"));
        let j = parse("j.json", r#"{"Fn::Join": ["", ["0.0.0.0", "/0"]]}"#).unwrap();
        assert_eq!(eval(&j, &names, 0).as_str(), Some("0.0.0.0/0"));
        assert_eq!(
            sub("${!Literal}", None, 1, &names, 0).as_str(),
            Some("${Literal}")
        );
    }

    #[test]
    fn bad_templates_are_errors_with_a_place() {
        let e = parse("t.yaml", "Resources:\n  A: [1,\n").unwrap_err();
        assert!(e.to_string().starts_with("t.yaml:"), "{e}");
        let e = parse("t.yaml", "Resources:\n  A: !Bogus x\n").unwrap_err();
        assert!(e.to_string().contains("unknown tag `!Bogus`"), "{e}");
        let e = parse("t.json", "{\"Resources\": [}").unwrap_err();
        assert!(e.to_string().starts_with("t.json:1:"), "{e}");
    }

    #[test]
    fn role_inline_policies_are_checked_as_role_policies() {
        let t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement: []\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: '*'\n                Resource: '*'\n";
        let rs = res(t);
        let types: Vec<&str> = rs.iter().map(|r| r.rtype.as_str()).collect();
        assert_eq!(types, ["aws_iam_role", "aws_iam_role_policy"]);
        assert_eq!(rs[1].address, "Resources.R.Policies[0]");
    }
}
