//! A small abstract interpreter over the IR: values carry an optional
//! folded constant, taint labels with a trace, collection elements by
//! constant key, and an object kind. Dead branches are pruned when their
//! condition folds; allow-list and prefix guards clean values in the branch
//! where they hold.

use super::ir::*;
use super::tables::{self, ArgSel, Kinds};
use super::{AssignEvent, CallEvent, Lang, Step, Tables, TaintHit};
use std::collections::HashMap;
use std::rc::Rc;

const MAX_TRACE: usize = 16;
const MAX_ELEMS: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct Taint {
    pub kinds: Kinds,
    pub trace: Vec<Step>,
    /// Set while computing a helper's summary: the parameter it came from.
    pub param: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Coll {
    #[default]
    Empty,
    List(Vec<Value>),
    Map(Vec<(Const, Value)>, Option<Box<Value>>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Value {
    pub konst: Option<Const>,
    pub taint: Option<Rc<Taint>>,
    pub coll: Option<Rc<Coll>>,
    pub obj: Option<&'static str>,
    /// Configuration calls made on this object: (method, constant args).
    pub facts: Option<Rc<Vec<super::Fact>>>,
    pub func: Option<usize>,
    /// The result of a path normaliser.
    pub normalized: bool,
    /// A string built from a constant start and something else: the start.
    pub prefix: Option<Rc<str>>,
}

impl Value {
    /// The constant text this value is known to start with.
    pub fn known_prefix(&self) -> Option<&str> {
        match &self.konst {
            Some(Const::Str(s)) => Some(s),
            _ => self.prefix.as_deref(),
        }
    }
}

impl Value {
    fn konst(c: Const) -> Value {
        Value {
            konst: Some(c),
            ..Default::default()
        }
    }

    /// Taint of the value or of any element in it.
    pub fn deep_taint(&self) -> Option<Rc<Taint>> {
        if let Some(t) = &self.taint {
            return Some(t.clone());
        }
        match self.coll.as_deref() {
            Some(Coll::List(v)) => v.iter().find_map(|e| e.deep_taint()),
            Some(Coll::Map(v, u)) => v
                .iter()
                .find_map(|(_, e)| e.deep_taint())
                .or_else(|| u.as_ref().and_then(|u| u.deep_taint())),
            _ => None,
        }
    }

    fn all_elems(&self) -> Value {
        let mut out = Value {
            taint: self.taint.clone(),
            ..Default::default()
        };
        match self.coll.as_deref() {
            Some(Coll::List(v)) => {
                for e in v {
                    out = join(&out, e);
                }
            }
            Some(Coll::Map(v, u)) => {
                for (_, e) in v {
                    out = join(&out, e);
                }
                if let Some(u) = u {
                    out = join(&out, u);
                }
            }
            _ => {}
        }
        out.konst = None;
        out
    }
}

/// Marks taint that comes from a parameter of the function being reported
/// (its caller may pass anything): such flows are reported at low confidence.
pub const WEAK_PARAM: usize = usize::MAX;

fn join_taint(a: &Option<Rc<Taint>>, b: &Option<Rc<Taint>>) -> Option<Rc<Taint>> {
    match (a, b) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (Some(x), Some(y)) => {
            if Rc::ptr_eq(x, y) || (x.kinds | y.kinds) == x.kinds && x.param == y.param {
                Some(x.clone())
            } else {
                // a real source wins over a caller-controlled parameter
                let (base, other) = if x.param == Some(WEAK_PARAM) && y.param != Some(WEAK_PARAM) {
                    (y, x)
                } else {
                    (x, y)
                };
                let mut t = (**base).clone();
                t.kinds |= other.kinds;
                if t.param.is_none() && other.param != Some(WEAK_PARAM) {
                    t.param = other.param;
                }
                Some(Rc::new(t))
            }
        }
    }
}

pub fn join(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    let coll = match (&a.coll, &b.coll) {
        (Some(x), Some(y)) if Rc::ptr_eq(x, y) => Some(x.clone()),
        (Some(x), Some(y)) => match (&**x, &**y) {
            (Coll::List(p), Coll::List(q)) if p.len() == q.len() => Some(Rc::new(Coll::List(
                p.iter().zip(q).map(|(u, v)| join(u, v)).collect(),
            ))),
            (Coll::Map(p, pu), Coll::Map(q, qu)) => {
                let mut m = p.clone();
                for (k, v) in q {
                    match m.iter_mut().find(|(mk, _)| mk == k) {
                        Some((_, mv)) => *mv = join(mv, v),
                        None => m.push((k.clone(), v.clone())),
                    }
                }
                let u = match (pu, qu) {
                    (Some(a), Some(b)) => Some(Box::new(join(a, b))),
                    (Some(a), None) | (None, Some(a)) => Some(a.clone()),
                    _ => None,
                };
                Some(Rc::new(Coll::Map(m, u)))
            }
            _ => {
                let all = join(&x_elems(x), &x_elems(y));
                Some(Rc::new(Coll::List(vec![all])))
            }
        },
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        _ => None,
    };
    let facts = match (&a.facts, &b.facts) {
        (Some(x), Some(y)) => {
            let mut f = (**x).clone();
            for e in y.iter() {
                if !f.contains(e) {
                    f.push(e.clone());
                }
            }
            Some(Rc::new(f))
        }
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        _ => None,
    };
    Value {
        konst: if a.konst == b.konst {
            a.konst.clone()
        } else {
            None
        },
        taint: join_taint(&a.taint, &b.taint),
        coll,
        obj: a.obj.or(b.obj),
        facts,
        func: a.func.or(b.func),
        normalized: a.normalized && b.normalized,
        prefix: if a.prefix == b.prefix {
            a.prefix.clone()
        } else {
            None
        },
    }
}

fn x_elems(c: &Coll) -> Value {
    Value {
        coll: Some(Rc::new(c.clone())),
        ..Default::default()
    }
    .all_elems()
}

type Env = HashMap<String, Value>;

fn join_env(a: &Env, b: &Env) -> Env {
    let mut out = a.clone();
    for (k, v) in b {
        match out.get_mut(k) {
            Some(x) => {
                if x != v {
                    *x = join(x, v);
                }
            }
            None => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// What a helper function does with its parameters, for its callers.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Per parameter: the labels that survive into the return value.
    pub ret: Vec<Kinds>,
    /// Per parameter: sinks it reaches inside the helper.
    pub sinks: Vec<Vec<TaintHit>>,
    /// The return value when it is the same constant on every path.
    pub ret_const: Option<Const>,
}

pub struct Budget {
    pub steps: u64,
    pub max_steps: u64,
}

#[derive(Debug)]
pub struct OutOfBudget;

pub struct Interp<'a> {
    pub module: &'a Module,
    pub lang: Lang,
    pub tables: &'a Tables,
    pub summaries: &'a HashMap<usize, Summary>,
    pub hits: Vec<TaintHit>,
    pub calls: Vec<CallEvent>,
    pub assigns: Vec<AssignEvent>,
    /// Summary mode: real sources are ignored, hits from parameters recorded.
    pub summary_mode: bool,
    pub budget: &'a mut Budget,
    pub func: usize,
    pub ret: Option<Value>,
    pub ret_consts: Vec<Option<Const>>,
    pub is_handler: bool,
    /// Names the function's request parameters are bound to.
    pub globals: &'a Env,
    pub report_events: bool,
    /// Taint text parameters as caller-controlled (low-confidence findings).
    pub weak_params: bool,
    /// The statement being run (where attribute sources are located).
    cur_span: Span,
    /// Dotted text of the value being assigned, for assignment events.
    cur_value_path: Option<String>,
    index: &'a TableIndex,
}

/// Sinks and sanitisers by the last segment of their pattern, so a call
/// looks at the few entries that can match it.
#[derive(Debug, Default)]
pub struct TableIndex {
    sinks: HashMap<String, Vec<usize>>,
    sanitizers: HashMap<String, Vec<usize>>,
}

fn last_segment(pattern: &str) -> &str {
    let p = pattern.strip_prefix("new ").unwrap_or(pattern);
    p.rsplit(['.', '/']).next().unwrap_or(p)
}

impl TableIndex {
    pub fn new(t: &Tables) -> TableIndex {
        let mut idx = TableIndex::default();
        for (i, s) in t.sinks.iter().enumerate() {
            idx.sinks
                .entry(last_segment(&s.pattern).to_string())
                .or_default()
                .push(i);
        }
        for (i, s) in t.sanitizers.iter().enumerate() {
            idx.sanitizers
                .entry(last_segment(&s.pattern).to_string())
                .or_default()
                .push(i);
        }
        idx
    }
}

impl<'a> Interp<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        module: &'a Module,
        lang: Lang,
        tables: &'a Tables,
        summaries: &'a HashMap<usize, Summary>,
        budget: &'a mut Budget,
        func: usize,
        globals: &'a Env,
        summary_mode: bool,
        index: &'a TableIndex,
    ) -> Self {
        Interp {
            module,
            lang,
            tables,
            summaries,
            hits: vec![],
            calls: vec![],
            assigns: vec![],
            summary_mode,
            budget,
            func,
            ret: None,
            ret_consts: vec![],
            is_handler: false,
            globals,
            report_events: !summary_mode,
            weak_params: false,
            cur_span: Span::default(),
            cur_value_path: None,
            index,
        }
    }

    fn tick(&mut self) -> Result<(), OutOfBudget> {
        self.budget.steps += 1;
        if self.budget.steps > self.budget.max_steps {
            Err(OutOfBudget)
        } else {
            Ok(())
        }
    }

    /// Initial environment of a function: parameters (sources when the
    /// framework says so) on top of the enclosing scope.
    pub fn entry_env(&mut self, taint_param: Option<usize>) -> Env {
        let f = &self.module.functions[self.func];
        let mut env = Env::new();
        let handler = f.decorators.iter().any(|d| {
            tables::HANDLER_DECORATORS
                .iter()
                .any(|h| d == h || d.ends_with(&format!(".{h}")))
        });
        let django_view =
            self.lang == Lang::Python && f.params.first().is_some_and(|p| p.name == "request");
        self.is_handler = handler || django_view;
        let span = f.span;
        for (i, p) in f.params.iter().enumerate() {
            let mut v = Value::default();
            if let Some(ty) = &p.ty {
                let t = ty.trim();
                if let Some((_, k)) = tables::TYPE_KINDS
                    .iter()
                    .find(|(n, _)| *n == t || t.ends_with(&format!(".{n}")))
                {
                    v.obj = Some(k);
                }
            }
            if v.obj.is_none()
                && tables::RESPONSE_NAMES
                    .iter()
                    .any(|(n, l)| *n == p.name && l.contains(&self.lang))
            {
                v.obj = Some("response");
            }
            if v.obj.is_none()
                && tables::REQUEST_NAMES
                    .iter()
                    .any(|(n, l)| *n == p.name && l.contains(&self.lang))
            {
                v.obj = Some("request");
            }
            let safe_type =
                p.ty.as_deref()
                    .is_some_and(|t| tables::SAFE_PARAM_TYPES.contains(&t.trim()));
            let marked = p
                .marks
                .iter()
                .any(|m| tables::SOURCE_PARAM_MARKS.contains(&m.as_str()));
            let route_param = (handler || django_view)
                && self.lang == Lang::Python
                && v.obj.is_none()
                && !(django_view && i == 0)
                && p.name != "self";
            if !self.summary_mode && !safe_type && v.obj.is_none() && (marked || route_param) {
                v.taint = Some(Rc::new(Taint {
                    kinds: tables::ALL,
                    trace: vec![Step {
                        span,
                        message: format!("source: request parameter `{}`", p.name),
                    }],
                    param: None,
                }));
            }
            if taint_param == Some(i) {
                v.taint = Some(Rc::new(Taint {
                    kinds: tables::ALL,
                    trace: vec![],
                    param: Some(i),
                }));
            }
            // Reporting mode: any other text parameter may be caller-controlled.
            let texty = match (&p.ty, self.lang) {
                (None, _) => true,
                (Some(t), Lang::Java) => matches!(
                    t.trim(),
                    "String" | "String[]" | "Object" | "java.lang.String" | "String..."
                ),
                (Some(t), Lang::Go) => matches!(t.trim(), "string" | "[]byte" | "[]string"),
                (Some(t), Lang::Python) => matches!(t.trim(), "str" | "bytes" | "Any"),
                (Some(t), _) => matches!(t.trim(), "string" | "any" | "unknown"),
            };
            if self.weak_params
                && taint_param.is_none()
                && v.taint.is_none()
                && v.obj.is_none()
                && texty
                && !safe_type
                && !matches!(p.name.as_str(), "self" | "cls" | "this" | "_")
            {
                v.taint = Some(Rc::new(Taint {
                    // a parameter naming a file is an API's contract, not a traversal
                    kinds: tables::ALL & !tables::PATH,
                    trace: vec![Step {
                        span,
                        message: format!("parameter `{}` (caller-controlled)", p.name),
                    }],
                    param: Some(WEAK_PARAM),
                }));
            }
            env.insert(p.name.clone(), v);
        }
        env
    }

    pub fn run(&mut self, env: &mut Env) -> Result<(), OutOfBudget> {
        let body = &self.module.functions[self.func].body;
        self.block(body, env)?;
        Ok(())
    }

    /// Runs statements; true when every path through them exits.
    fn block(&mut self, stmts: &[Stmt], env: &mut Env) -> Result<bool, OutOfBudget> {
        for s in stmts {
            if self.stmt(s, env)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn stmt(&mut self, s: &Stmt, env: &mut Env) -> Result<bool, OutOfBudget> {
        self.tick()?;
        match s {
            Stmt::Assign { span, .. } | Stmt::Expr(_, span) | Stmt::Return(_, span) => {
                self.cur_span = *span
            }
            _ => {}
        }
        match s {
            Stmt::Assign {
                target,
                value,
                ty,
                span,
            } => {
                let mut v = self.eval(value, env)?;
                self.cur_value_path = match value {
                    Expr::Name(_) | Expr::Attr(..) => Some(self.path_of(value, &HashMap::new())),
                    _ => None,
                };
                if let Some(ty) = ty {
                    let t = ty.trim();
                    if v.obj.is_none() {
                        if let Some((_, k)) = tables::TYPE_KINDS
                            .iter()
                            .find(|(n, _)| *n == t || t.ends_with(&format!(".{n}")))
                        {
                            v.obj = Some(k);
                        }
                    }
                    if matches!(
                        t,
                        "int"
                            | "long"
                            | "Integer"
                            | "Long"
                            | "boolean"
                            | "double"
                            | "float"
                            | "short"
                    ) {
                        v.taint = None;
                    }
                }
                self.assign(target, v, *span, env)?;
                Ok(false)
            }
            Stmt::Expr(e, _) => {
                let v = self.eval(e, env)?;
                let _ = v;
                if let Expr::Call { callee, .. } = e {
                    let path = self.path_of(callee, env);
                    if tables::NORETURN_CALLS
                        .iter()
                        .any(|n| tables::path_matches(&path, false, n))
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Stmt::Return(e, span) => {
                let v = match e {
                    Some(e) => self.eval(e, env)?,
                    None => Value::default(),
                };
                if self.is_handler && self.lang == Lang::Python {
                    // A dict or list is sent as JSON; a tuple is (body, status, ...).
                    let body = match v.coll.as_deref() {
                        Some(Coll::List(items)) => items.first().cloned().unwrap_or_default(),
                        _ => v.clone(),
                    };
                    let body_taint = if body.coll.is_some() {
                        None
                    } else {
                        body.taint.clone()
                    };
                    if let Some(t) = body_taint {
                        if t.kinds & tables::XSS != 0 && body.obj.is_none() {
                            self.hit(
                                tables::XSS,
                                "the HTML response of a handler",
                                *span,
                                &t,
                                "returned as",
                            );
                        }
                    }
                }
                if self.is_handler && self.lang == Lang::Java && v.coll.is_none() && v.obj.is_none()
                {
                    // a Spring handler's String: "redirect:" + x redirects,
                    // anything else is written to the response
                    if let Some(t) = v.taint.clone() {
                        let prefix = v.known_prefix().unwrap_or("");
                        if let Some(rest) = prefix.strip_prefix("redirect:") {
                            if t.kinds & tables::REDIRECT != 0 && !fixed_local_path(rest) {
                                self.hit(
                                    tables::REDIRECT,
                                    "a Spring redirect view",
                                    *span,
                                    &t,
                                    "returned as",
                                );
                            }
                        } else if !prefix.starts_with("forward:") && t.kinds & tables::XSS != 0 {
                            self.hit(
                                tables::XSS,
                                "the response body of a handler",
                                *span,
                                &t,
                                "returned as",
                            );
                        }
                    }
                }
                self.ret_consts.push(v.konst.clone());
                self.ret = Some(match &self.ret {
                    Some(r) => join(r, &v),
                    None => v,
                });
                Ok(true)
            }
            Stmt::Throw(_) => Ok(true),
            Stmt::Break | Stmt::Continue => Ok(false),
            Stmt::If { cond, then, els } => {
                let c = self.eval(cond, env)?;
                if let Some(k) = &c.konst {
                    if c.taint.is_none() {
                        return if k.truthy() {
                            self.block(then, env)
                        } else {
                            self.block(els, env)
                        };
                    }
                }
                let (mut te, mut fe) = (env.clone(), env.clone());
                self.refine(cond, env, &mut te, &mut fe, true);
                let t_exit = self.block(then, &mut te)?;
                let f_exit = self.block(els, &mut fe)?;
                *env = match (t_exit, f_exit) {
                    (true, true) => {
                        *env = join_env(&te, &fe);
                        return Ok(true);
                    }
                    (true, false) => fe,
                    (false, true) => te,
                    (false, false) => join_env(&te, &fe),
                };
                Ok(false)
            }
            Stmt::Loop {
                var,
                iter,
                cond,
                body,
            } => {
                if let Some(c) = cond {
                    let cv = self.eval(c, env)?;
                    if cv.konst.as_ref().is_some_and(|k| !k.truthy()) && cv.taint.is_none() {
                        return Ok(false);
                    }
                }
                let item = match iter {
                    Some(it) => {
                        let v = self.eval(it, env)?;
                        let mut e = v.all_elems();
                        if e.taint.is_none() {
                            e.taint = v.deep_taint();
                        }
                        e.obj = None;
                        Some(e)
                    }
                    None => None,
                };
                let before = env.clone();
                for _ in 0..2 {
                    if let (Some(var), Some(item)) = (var, &item) {
                        self.assign(var, item.clone(), Span::default(), env)?;
                    }
                    let mut inner = env.clone();
                    self.block(body, &mut inner)?;
                    *env = join_env(env, &inner);
                }
                *env = join_env(&before, env);
                Ok(false)
            }
            Stmt::Switch { subject, cases } => {
                let sv = self.eval(subject, env)?;
                let fallthrough = matches!(
                    self.lang,
                    Lang::Java | Lang::JavaScript | Lang::TypeScript | Lang::Tsx
                );
                if let (Some(k), None) = (&sv.konst, &sv.taint) {
                    let mut start = None;
                    for (i, (labels, _)) in cases.iter().enumerate() {
                        for l in labels {
                            let lv = self.eval(l, env)?;
                            if lv.konst.as_ref() == Some(k) {
                                start = Some(i);
                            }
                        }
                        if start.is_some() {
                            break;
                        }
                    }
                    let start = start.or_else(|| cases.iter().position(|(l, _)| l.is_empty()));
                    if let Some(s) = start {
                        for (_, body) in &cases[s..] {
                            if self.block(body, env)? {
                                return Ok(true);
                            }
                            if !fallthrough || body.iter().any(|x| matches!(x, Stmt::Break)) {
                                break;
                            }
                        }
                    }
                    return Ok(false);
                }
                let mut out: Option<Env> = None;
                let mut all_exit = true;
                for (i, _) in cases.iter().enumerate() {
                    let mut e = env.clone();
                    let mut exited = false;
                    for (_, body) in &cases[i..] {
                        if self.block(body, &mut e)? {
                            exited = true;
                            break;
                        }
                        if !fallthrough || body.iter().any(|x| matches!(x, Stmt::Break)) {
                            break;
                        }
                    }
                    if !exited {
                        all_exit = false;
                        out = Some(match out {
                            Some(o) => join_env(&o, &e),
                            None => e,
                        });
                    }
                }
                let has_default = cases.iter().any(|(l, _)| l.is_empty());
                if !has_default {
                    all_exit = false;
                    out = Some(match out {
                        Some(o) => join_env(&o, env),
                        None => env.clone(),
                    });
                }
                if let Some(o) = out {
                    *env = o;
                }
                Ok(all_exit && has_default)
            }
            Stmt::Try {
                body,
                handlers,
                finally,
            } => {
                let before = env.clone();
                let exited = self.block(body, env)?;
                let mut joined = if exited { None } else { Some(env.clone()) };
                for h in handlers {
                    let mut he = join_env(&before, env);
                    if !self.block(h, &mut he)? {
                        joined = Some(match joined {
                            Some(j) => join_env(&j, &he),
                            None => he,
                        });
                    }
                }
                match joined {
                    Some(j) => *env = j,
                    None => {
                        self.block(finally, env)?;
                        return Ok(true);
                    }
                }
                self.block(finally, env)
            }
        }
    }

    // ------------------------------------------------------------ guards

    /// Refines the environments of the true (`t`) and false (`f`) branch
    /// from what `cond` tells about values.
    fn refine(&mut self, cond: &Expr, env: &Env, t: &mut Env, f: &mut Env, _top: bool) {
        match cond {
            Expr::Un(UnOp::Not, inner) => self.refine(inner, env, f, t, false),
            Expr::Bin(BinOp::And, a, b) => {
                let mut dummy = env.clone();
                self.refine(a, env, t, &mut dummy, false);
                self.refine(b, env, t, &mut dummy, false);
            }
            Expr::Bin(BinOp::Or, a, b) => {
                let mut dummy = env.clone();
                self.refine(a, env, &mut dummy, f, false);
                self.refine(b, env, &mut dummy, f, false);
            }
            Expr::Bin(op @ (BinOp::Eq | BinOp::Ne), a, b) => {
                let (name, lit) = match (&**a, &**b) {
                    (Expr::Name(n), Expr::Lit(c)) | (Expr::Lit(c), Expr::Name(n)) => (n, c),
                    _ => return,
                };
                let target = if *op == BinOp::Eq { t } else { f };
                if let Some(v) = target.get_mut(name) {
                    v.taint = None;
                    v.konst = Some(lit.clone());
                }
            }
            Expr::Bin(op @ (BinOp::In | BinOp::NotIn), a, b) if matches!((&**a, &**b), (Expr::Lit(Const::Str(s)), Expr::Name(_)) if s.contains("..")) =>
            {
                // `if "../" in name: reject` - where it is absent, the path is clean
                if let Expr::Name(n) = &**b {
                    let target = if *op == BinOp::In { f } else { t };
                    if let Some(v) = target.get_mut(n) {
                        clean(v, tables::PATH);
                    }
                }
            }
            Expr::Bin(op @ (BinOp::In | BinOp::NotIn), a, _) => {
                if let Expr::Name(n) = &**a {
                    let target = if *op == BinOp::In { t } else { f };
                    if let Some(v) = target.get_mut(n) {
                        v.taint = None;
                    }
                }
            }
            Expr::Call { callee, args, .. } => {
                let path = self.path_of(callee, env);
                let method = path.rsplit('.').next().unwrap_or("");
                // x.contains("..") / strings.Contains(x, ".."): clean where absent
                let dotdot = |e: Option<&Arg>| matches!(e.map(|a| &a.value), Some(Expr::Lit(Const::Str(s))) if s.contains(".."));
                if matches!(method, "contains" | "includes" | "Contains" | "indexOf") {
                    let (subject, needle) = match &**callee {
                        Expr::Attr(recv, _) if method != "Contains" => {
                            (Some(&**recv), args.first())
                        }
                        _ => (args.first().map(|a| &a.value), args.get(1)),
                    };
                    if dotdot(needle) && method != "indexOf" {
                        if let Some(Expr::Name(n)) = subject {
                            if let Some(v) = f.get_mut(n) {
                                clean(v, tables::PATH);
                            }
                        }
                        return;
                    }
                }
                // allow-list membership: ALLOWED.contains(x), "c".equals(x), x.equals("c")
                if matches!(
                    method,
                    "contains"
                        | "includes"
                        | "has"
                        | "equals"
                        | "equalsIgnoreCase"
                        | "__contains__"
                        | "containsKey"
                ) {
                    if let Expr::Attr(recv, _) = &**callee {
                        let recv_v = eval_quiet(recv, env);
                        let arg_name = args.first().and_then(|a| match &a.value {
                            Expr::Name(n) => Some(n.clone()),
                            _ => None,
                        });
                        if let Some(n) = arg_name {
                            if recv_v.taint.is_none() {
                                if let Some(v) = t.get_mut(&n) {
                                    v.taint = None;
                                }
                            }
                        }
                        if method.starts_with("equals") {
                            if let (Expr::Name(n), Some(a)) = (&**recv, args.first()) {
                                if matches!(a.value, Expr::Lit(_)) {
                                    if let Some(v) = t.get_mut(n) {
                                        v.taint = None;
                                    }
                                }
                            }
                        }
                    }
                    return;
                }
                // prefix check on a normalised path
                if tables::PREFIX_CHECKS
                    .iter()
                    .any(|p| tables::path_matches(&path, false, p) || method == *p)
                {
                    let subject = match &**callee {
                        Expr::Attr(recv, _) if !path.starts_with("strings.") => Some(&**recv),
                        _ => args.first().map(|a| &a.value),
                    };
                    if let Some(Expr::Name(n)) = subject {
                        if env.get(n).is_some_and(|v| v.normalized) {
                            if let Some(v) = t.get_mut(n) {
                                clean(v, tables::PATH);
                            }
                        }
                    }
                    return;
                }
                for (g, kinds) in tables::GUARD_CALLS {
                    if tables::path_matches(&path, false, g) || path == *g {
                        // a pattern that only forbids characters (`[^...]`) is a
                        // deny-list, not an allow-list
                        let pattern = args.iter().find_map(|a| match &a.value {
                            Expr::Lit(Const::Str(p)) => Some(p.as_str()),
                            _ => None,
                        });
                        if pattern.is_some_and(|p| p.contains("[^")) {
                            return;
                        }
                        let compiled = matches!(*g, ".match" | ".fullmatch");
                        let subject = match &**callee {
                            Expr::Attr(_, _) if compiled => {
                                args.first().map(|a| unwrap_str(&a.value))
                            }
                            Expr::Attr(recv, _) if g.starts_with('.') => Some(unwrap_str(recv)),
                            _ => args
                                .iter()
                                .rev()
                                .map(|a| unwrap_str(&a.value))
                                .find(|e| matches!(e, Expr::Name(_))),
                        };
                        if let Some(Expr::Name(n)) = subject {
                            if let Some(v) = t.get_mut(n) {
                                clean(v, *kinds);
                            }
                        }
                        return;
                    }
                }
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------ assignment

    fn assign(
        &mut self,
        target: &Expr,
        v: Value,
        span: Span,
        env: &mut Env,
    ) -> Result<(), OutOfBudget> {
        match target {
            Expr::Name(n) => {
                if self.report_events {
                    self.assigns.push(AssignEvent {
                        target: n.clone(),
                        value: v.konst.clone(),
                        value_path: self.cur_value_path.clone(),
                        span,
                        func: self.func,
                    });
                }
                env.insert(n.clone(), v);
            }
            Expr::Attr(obj, field) => {
                let path = format!("{}.{}", self.path_of(obj, env), field);
                if self.report_events {
                    self.assigns.push(AssignEvent {
                        target: path.clone(),
                        value: v.konst.clone(),
                        value_path: self.cur_value_path.clone(),
                        span,
                        func: self.func,
                    });
                }
                if let Some(t) = v.deep_taint() {
                    if matches!(field.as_str(), "innerHTML" | "outerHTML")
                        && t.kinds & tables::XSS != 0
                    {
                        self.hit(tables::XSS, field, span, &t, "assigned to");
                    }
                    if matches!(self.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx)
                        && path.contains("session")
                        && t.kinds & tables::TRUST != 0
                    {
                        self.hit(tables::TRUST, "the session", span, &t, "stored in");
                    }
                    if (path.ends_with("location.href")
                        || path == "location"
                        || path.ends_with(".location"))
                        && t.kinds & tables::REDIRECT != 0
                    {
                        self.hit(tables::REDIRECT, "location", span, &t, "assigned to");
                    }
                }
                if let Expr::Name(_) | Expr::Attr(..) = &**obj {
                    env.insert(path, v);
                }
            }
            Expr::Index(obj, key) => {
                let kv = self.eval(key, env)?;
                let opath = self.path_of(obj, env);
                if opath.ends_with("session") {
                    if let Some(t) = v.deep_taint().or(kv.taint.clone()) {
                        if t.kinds & tables::TRUST != 0 {
                            self.hit(tables::TRUST, "the session", span, &t, "stored in");
                        }
                    }
                }
                if self.report_events {
                    if let Some(Const::Str(k)) = &kv.konst {
                        self.assigns.push(AssignEvent {
                            target: format!("{opath}[{k}]"),
                            value: v.konst.clone(),
                            value_path: self.cur_value_path.clone(),
                            span,
                            func: self.func,
                        });
                    }
                }
                if let Expr::Name(n) = &**obj {
                    let mut cur = env.get(n).cloned().unwrap_or_default();
                    set_elem(&mut cur, kv.konst.clone(), v);
                    env.insert(n.clone(), cur);
                }
            }
            Expr::List(targets) => {
                for (i, t) in targets.iter().enumerate() {
                    let e = match v.coll.as_deref() {
                        Some(Coll::List(items)) if i < items.len() => items[i].clone(),
                        _ => {
                            let mut e = v.all_elems();
                            if e.taint.is_none() {
                                e.taint = v.taint.clone();
                            }
                            e
                        }
                    };
                    self.assign(t, e, span, env)?;
                }
            }
            Expr::Un(_, inner) => self.assign(inner, v, span, env)?,
            _ => {}
        }
        Ok(())
    }

    // ------------------------------------------------------------ expressions

    pub fn path_of(&self, e: &Expr, env: &Env) -> String {
        match e {
            Expr::Name(n) => {
                if env.contains_key(n) {
                    return n.clone();
                }
                for (alias, full) in &self.module.imports {
                    if alias == n {
                        return full.clone();
                    }
                }
                n.clone()
            }
            Expr::Attr(o, f) => format!("{}.{}", self.path_of(o, env), f),
            Expr::Call { callee, .. } => format!("{}()", self.path_of(callee, env)),
            _ => "?".into(),
        }
    }

    fn lookup(&self, n: &str, env: &Env) -> Option<Value> {
        if let Some(v) = env.get(n) {
            return Some(v.clone());
        }
        if let Some(v) = self.globals.get(n) {
            return Some(v.clone());
        }
        None
    }

    fn source(&self, what: String, span: Span) -> Value {
        if self.summary_mode {
            return Value::default();
        }
        Value {
            taint: Some(Rc::new(Taint {
                kinds: tables::ALL,
                trace: vec![Step {
                    span,
                    message: format!("source: {what}"),
                }],
                param: None,
            })),
            ..Default::default()
        }
    }

    /// Input from the local user (command line, console): not a path
    /// traversal (naming files is what it is for), and reported at low
    /// confidence for the rest.
    fn local_source(&self, mut v: Value, local: bool) -> Value {
        if local {
            if let Some(t) = &v.taint {
                let mut t = (**t).clone();
                t.kinds &= !tables::PATH;
                t.param = Some(WEAK_PARAM);
                v.taint = Some(Rc::new(t));
            }
        }
        v
    }

    pub fn eval(&mut self, e: &Expr, env: &mut Env) -> Result<Value, OutOfBudget> {
        self.tick()?;
        Ok(match e {
            Expr::Lit(c) => Value::konst(c.clone()),
            Expr::Name(n) => match self.lookup(n, env) {
                Some(v) => v,
                None => {
                    let mut v = Value::default();
                    let imported_elsewhere = self.module.imports.iter().any(|(alias, full)| {
                        alias == n && !tables::REQUEST_MODULES.iter().any(|m| full.starts_with(m))
                    });
                    if tables::REQUEST_NAMES
                        .iter()
                        .any(|(r, l)| r == n && l.contains(&self.lang))
                        && self.lang == Lang::Python
                        && !imported_elsewhere
                    {
                        v.obj = Some("request");
                    }
                    if let Some(idx) = self.find_function(n, None) {
                        v.func = Some(idx);
                    }
                    v
                }
            },
            Expr::Attr(obj, field) => {
                let full = format!("{}.{}", self.path_of(obj, env), field);
                if let Some(v) = env.get(&full) {
                    return Ok(v.clone());
                }
                if let Some(s) = self.tables.sources.iter().find(|s| {
                    s.langs.contains(&self.lang) && tables::path_matches(&full, false, &s.pattern)
                }) {
                    let (what, local) = (s.what.to_string(), s.local);
                    return Ok(self.local_source(self.source(what, self.cur_span), local));
                }
                let ov = self.eval(obj, env)?;
                if ov.obj == Some("request") && is_request_member(field, self.lang) {
                    return Ok(self.source(format!("request `{full}`"), self.cur_span));
                }
                if field == "length" || field == "size" {
                    return Ok(match &ov.konst {
                        Some(Const::Str(s)) => Value::konst(Const::Int(s.chars().count() as i64)),
                        _ => Value::default(),
                    });
                }
                if let Some(Coll::Map(items, _)) = ov.coll.as_deref() {
                    if let Some((_, v)) = items.iter().find(|(k, _)| k.as_str() == Some(field)) {
                        return Ok(v.clone());
                    }
                }
                Value {
                    taint: ov.taint.clone(),
                    ..Default::default()
                }
            }
            Expr::Index(obj, idx) => {
                let ov = self.eval(obj, env)?;
                let iv = self.eval(idx, env)?;
                index_value(&ov, &iv)
            }
            Expr::Call {
                callee,
                args,
                is_new,
                span,
            } => self.call(callee, args, *is_new, *span, env)?,
            Expr::Bin(op, a, b) => {
                let av = self.eval(a, env)?;
                match (op, &av.konst) {
                    (BinOp::And, Some(k)) if !k.truthy() && av.taint.is_none() => return Ok(av),
                    (BinOp::Or, Some(k)) if k.truthy() && av.taint.is_none() => return Ok(av),
                    _ => {}
                }
                let bv = self.eval(b, env)?;
                binop(*op, &av, &bv)
            }
            Expr::Un(op, a) => {
                let v = self.eval(a, env)?;
                match (op, &v.konst) {
                    (UnOp::Not, Some(k)) => Value::konst(Const::Bool(!k.truthy())),
                    (UnOp::Neg, Some(Const::Int(i))) => Value::konst(Const::Int(i.wrapping_neg())),
                    (UnOp::Not, None) => Value::default(),
                    (UnOp::Other, _) => Value {
                        taint: v.taint.clone(),
                        coll: v.coll.clone(),
                        obj: v.obj,
                        ..Default::default()
                    },
                    _ => Value {
                        taint: v.taint.clone(),
                        ..Default::default()
                    },
                }
            }
            Expr::Template(parts) => {
                let mut s = Some(String::new());
                let mut taint = None;
                let mut prefix: Option<Rc<str>> = None;
                for (i, p) in parts.iter().enumerate() {
                    let v = self.eval(p, env)?;
                    if i == 0 {
                        prefix = v.known_prefix().map(Rc::from);
                    }
                    s = match (s, &v.konst) {
                        (Some(mut acc), Some(k)) => {
                            acc.push_str(&k.to_text());
                            Some(acc)
                        }
                        _ => None,
                    };
                    taint = join_taint(&taint, &v.deep_taint());
                }
                Value {
                    konst: s.map(Const::Str),
                    taint,
                    prefix,
                    ..Default::default()
                }
            }
            Expr::Cond(c, a, b) => {
                let cv = self.eval(c, env)?;
                if let (Some(k), None) = (&cv.konst, &cv.taint) {
                    return if k.truthy() {
                        self.eval(a, env)
                    } else {
                        self.eval(b, env)
                    };
                }
                let av = self.eval(a, env)?;
                let bv = self.eval(b, env)?;
                join(&av, &bv)
            }
            Expr::List(items) => {
                let mut out = Vec::new();
                for i in items.iter().take(MAX_ELEMS) {
                    out.push(self.eval(i, env)?);
                }
                Value {
                    coll: Some(Rc::new(Coll::List(out))),
                    ..Default::default()
                }
            }
            Expr::Dict(pairs) => {
                let mut m = Vec::new();
                let mut unknown: Option<Box<Value>> = None;
                for (k, v) in pairs.iter().take(MAX_ELEMS) {
                    let kv = self.eval(k, env)?;
                    let vv = self.eval(v, env)?;
                    match kv.konst {
                        Some(c) => m.push((c, vv)),
                        None => {
                            let mut j = vv;
                            j.taint = join_taint(&j.taint, &kv.taint);
                            unknown = Some(Box::new(match unknown {
                                Some(u) => join(&u, &j),
                                None => j,
                            }));
                        }
                    }
                }
                Value {
                    coll: Some(Rc::new(Coll::Map(m, unknown))),
                    ..Default::default()
                }
            }
            Expr::Func(i) => Value {
                func: Some(*i),
                ..Default::default()
            },
            Expr::Opaque(parts) => {
                let mut t = None;
                for p in parts {
                    let v = self.eval(p, env)?;
                    t = join_taint(&t, &v.deep_taint());
                }
                Value {
                    taint: t,
                    ..Default::default()
                }
            }
        })
    }

    fn find_function(&self, name: &str, nargs: Option<usize>) -> Option<usize> {
        let mut best = None;
        for (i, f) in self.module.functions.iter().enumerate().skip(1) {
            if f.name == name {
                if nargs.is_none_or(|n| {
                    let p = f.params.iter().filter(|p| p.name != "self").count();
                    p == n
                }) {
                    return Some(i);
                }
                best = best.or(Some(i));
            }
        }
        best
    }

    fn hit(&mut self, kind: Kinds, what: &str, span: Span, t: &Taint, verb: &str) {
        let mut trace = t.trace.clone();
        trace.push(Step {
            span,
            message: format!("sink: {verb} {what}"),
        });
        self.hits.push(TaintHit {
            kind,
            sink: what.to_string(),
            span,
            trace,
            param: t.param,
            func: self.func,
        });
    }

    #[allow(clippy::too_many_lines)]
    fn call(
        &mut self,
        callee: &Expr,
        args: &[Arg],
        is_new: bool,
        span: Span,
        env: &mut Env,
    ) -> Result<Value, OutOfBudget> {
        let path = self.path_of(callee, env);
        let method = match callee {
            Expr::Attr(_, m) => m.clone(),
            _ => path.rsplit('.').next().unwrap_or("").to_string(),
        };
        let (recv_name, recv) = match callee {
            Expr::Attr(r, _) => {
                let name = match &**r {
                    Expr::Name(n) => Some(n.clone()),
                    Expr::Attr(..) => Some(self.path_of(r, env)),
                    _ => None,
                };
                (name, Some(self.eval(r, env)?))
            }
            _ => (None, None),
        };
        let mut argv = Vec::with_capacity(args.len());
        for a in args {
            let mut v = self.eval(&a.value, env)?;
            if let Some(fi) = v.func {
                // a callback: analysed on its own; its value here is opaque
                let _ = fi;
                v = Value::default();
            }
            argv.push(v);
        }
        let lang = self.lang;
        let recv_obj = recv.as_ref().and_then(|r| r.obj);

        // ---- sources
        if let Some(r) = &recv {
            if r.obj == Some("request") && is_request_member(&method, lang) {
                let v = self.source(format!("request `{path}`"), span);
                // gin `c.ShouldBindJSON(&v)`: the out-argument is user input
                for a in args {
                    if let Expr::Un(UnOp::Other, inner) = &a.value {
                        self.assign(inner, v.clone(), span, env)?;
                    }
                }
                return Ok(v);
            }
        }
        if let Some(s) =
            self.tables.sources.iter().find(|s| {
                s.langs.contains(&lang) && tables::path_matches(&path, is_new, &s.pattern)
            })
        {
            let (what, local) = (s.what.to_string(), s.local);
            return Ok(self.local_source(self.source(what, span), local));
        }

        // ---- sinks
        let mut sink_hits = Vec::new();
        let last = last_segment(&path).to_string();
        let sink_ids: &[usize] = self
            .index
            .sinks
            .get(&last)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &si in sink_ids {
            let s = &self.tables.sinks[si];
            if !s.langs.contains(&lang) {
                continue;
            }
            let matched = if let Some(rest) = s.pattern.strip_prefix('@') {
                match rest.split_once('.') {
                    Some((kind, m)) => recv_obj == Some(kind_static(kind)) && m == method,
                    None => false,
                }
            } else {
                tables::path_matches(&path, is_new, &s.pattern)
            };
            if !matched {
                continue;
            }
            if s.pattern == "yaml.load" {
                // yaml.load(x, Loader=SafeLoader) is safe
                let safe = args.iter().any(|a| {
                    (a.name.as_deref() == Some("Loader") || a.name.is_none())
                        && matches!(&a.value, Expr::Attr(_, l) | Expr::Name(l) if matches!(l.as_str(), "SafeLoader" | "CSafeLoader" | "BaseLoader"))
                });
                if safe {
                    continue;
                }
            }
            if (s.pattern.starts_with("fmt.Fprint") || s.pattern == "io.WriteString")
                && argv.first().and_then(|w| w.obj) != Some("writer")
            {
                // only an HTTP response writer, not os.Stderr or a file
                continue;
            }
            if s.pattern == ".update"
                && lang == Lang::Java
                && !path.to_ascii_lowercase().contains("template")
            {
                // JdbcTemplate.update, not MessageDigest.update
                continue;
            }
            if s.pattern == ".search" && recv_obj != Some("ldap") {
                // an LDAP search by its base DN argument (`conn.search("dc=x,dc=y", ...)`)
                let dn = argv
                    .first()
                    .and_then(|a| a.konst.as_ref())
                    .and_then(|c| c.as_str())
                    .is_some_and(|b| {
                        let b = b.to_ascii_lowercase();
                        b.contains("dc=") || b.contains("ou=") || b.contains("cn=")
                    });
                if !dn {
                    continue;
                }
            }
            if let Some(t) = self.sink_taint(s, args, &argv, recv.as_ref(), &path) {
                if t.kinds & s.kind != 0 {
                    let target = match &s.args {
                        ArgSel::Pos(i, kw) => kw
                            .and_then(|k| args.iter().position(|a| a.name.as_deref() == Some(k)))
                            .or_else(|| {
                                args.iter()
                                    .enumerate()
                                    .filter(|(_, a)| a.name.is_none())
                                    .nth(*i)
                                    .map(|(j, _)| j)
                            })
                            .and_then(|j| argv.get(j)),
                        _ => None,
                    };
                    let prefix = target.and_then(|v| v.known_prefix()).unwrap_or("");
                    if s.kind == tables::REDIRECT && fixed_local_path(prefix) {
                        // `redirect("/dashboard?x=" + t)` stays on this site
                        continue;
                    }
                    if s.kind == tables::SSRF && fixed_host(prefix) {
                        if self.summary_mode {
                            continue;
                        }
                        // scheme and host fixed: only the path is chosen (partial SSRF)
                        let mut weak = (*t).clone();
                        weak.param = Some(WEAK_PARAM);
                        sink_hits.push((
                            s.kind,
                            "an outgoing request path (host fixed)",
                            Rc::new(weak),
                        ));
                        continue;
                    }
                    sink_hits.push((s.kind, s.what, t));
                }
            }
        }
        // What a query, command, file read or fetch returns is not the
        // caller's input any more.
        let consuming = !args.is_empty()
            && sink_ids.iter().map(|&i| &self.tables.sinks[i]).any(|s| {
                s.langs.contains(&lang)
                    && s.kind
                        & (tables::SQL
                            | tables::CMD
                            | tables::PATH
                            | tables::SSRF
                            | tables::DESER
                            | tables::LDAP
                            | tables::XPATH
                            | tables::CODE
                            | tables::REDIRECT)
                        != 0
                    && !s.pattern.starts_with('@')
                    && !matches!(s.args, ArgSel::Receiver)
                    && tables::path_matches(&path, is_new, &s.pattern)
            });
        // session.setAttribute only
        let mut seen = 0;
        for (kind, what, t) in sink_hits {
            if kind == tables::TRUST && !path.contains("ession") {
                continue;
            }
            if seen & kind != 0 {
                continue;
            }
            seen |= kind;
            self.hit(kind, what, span, &t, "reaches");
        }

        // ---- same-file helpers
        let target = match callee {
            Expr::Name(n)
                if !env.contains_key(n) || env.get(n).is_some_and(|v| v.func.is_some()) =>
            {
                env.get(n)
                    .and_then(|v| v.func)
                    .or_else(|| self.find_function(n, Some(args.len())))
            }
            Expr::Attr(r, m) if matches!(&**r, Expr::Name(x) if x == "self" || x == "this") => {
                self.find_function(m, Some(args.len()))
            }
            // `new Test().doSomething(x)`, `helper.doSomething(x)` with a same-file class
            Expr::Attr(r, m)
                if (matches!(&**r, Expr::Call { is_new: true, .. })
                    || recv.as_ref().is_some_and(|v| {
                        v.konst.is_none()
                            && v.coll.is_none()
                            && v.taint.is_none()
                            && v.obj.is_none()
                    }))
                    && !tables::MUTATORS.contains(&m.as_str())
                    && !tables::CLEAN_RESULT_METHODS.contains(&m.as_str()) =>
            {
                self.find_function(m, Some(args.len()))
                    .filter(|&i| self.module.functions[i].params.len() == args.len())
            }
            _ => None,
        };
        if let Some(fi) = target {
            if let Some(sum) = self.summaries.get(&fi) {
                let mut out = Value {
                    konst: sum.ret_const.clone(),
                    ..Default::default()
                };
                let fname = self.module.functions[fi].name.clone();
                let offset = usize::from(
                    self.module.functions[fi]
                        .params
                        .first()
                        .is_some_and(|p| p.name == "self"),
                );
                for (i, a) in argv.iter().enumerate() {
                    let pi = i + offset;
                    let Some(t) = a.deep_taint() else { continue };
                    if let Some(mask) = sum.ret.get(pi) {
                        let kinds = t.kinds & mask;
                        if kinds != 0 {
                            let mut nt = (*t).clone();
                            nt.kinds = kinds;
                            push_step(&mut nt.trace, span, format!("through `{fname}()`"));
                            out.taint = join_taint(&out.taint, &Some(Rc::new(nt)));
                            out.konst = None;
                        }
                    }
                    if let Some(hits) = sum.sinks.get(pi) {
                        for h in hits {
                            if t.kinds & h.kind != 0 {
                                let mut trace = t.trace.clone();
                                push_step(&mut trace, span, format!("passed to `{fname}()`"));
                                trace.extend(h.trace.iter().cloned());
                                self.hits.push(TaintHit {
                                    kind: h.kind,
                                    sink: h.sink.clone(),
                                    span: h.span,
                                    trace,
                                    param: t.param,
                                    func: self.func,
                                });
                            }
                        }
                    }
                }
                self.record_call(&path, &method, is_new, args, &argv, recv.as_ref(), span);
                return Ok(out);
            }
        }

        self.record_call(&path, &method, is_new, args, &argv, recv.as_ref(), span);

        // ---- sanitisers
        let san_ids: &[usize] = self
            .index
            .sanitizers
            .get(&last)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for s in san_ids.iter().map(|&i| &self.tables.sanitizers[i]) {
            if s.langs.contains(&lang) && tables::path_matches(&path, is_new, &s.pattern) {
                let base = if s.pattern.starts_with('.') && argv.is_empty() {
                    recv.clone().unwrap_or_default()
                } else {
                    argv.first().cloned().unwrap_or_default()
                };
                let mut v = Value {
                    taint: base.deep_taint(),
                    konst: base.konst.clone(),
                    ..Default::default()
                };
                clean(&mut v, s.cleans);
                if s.cleans == tables::ALL {
                    v.konst = None;
                }
                return Ok(v);
            }
        }

        // ---- objects with a known kind
        let mut out = Value::default();
        for (pat, kind) in tables::FACTORY_KINDS {
            if tables::path_matches(&path, is_new, pat) {
                out.obj = Some(kind);
            }
        }
        if out.obj.is_none() && is_new {
            let short = path.rsplit('.').next().unwrap_or("");
            if let Some((_, k)) = tables::TYPE_KINDS
                .iter()
                .find(|(n, _)| *n == short || *n == path)
            {
                out.obj = Some(k);
            }
        }

        // ---- chained response calls: res.status(400).send(x)
        if recv_obj == Some("response")
            && matches!(
                method.as_str(),
                "status"
                    | "set"
                    | "type"
                    | "header"
                    | "append"
                    | "vary"
                    | "cookie"
                    | "contentType"
                    | "code"
            )
        {
            out.obj = Some("response");
            return Ok(out);
        }

        // ---- path normalisers
        if tables::PATH_NORMALISERS
            .iter()
            .any(|p| tables::path_matches(&path, is_new, p))
        {
            let base = argv.first().cloned().or(recv.clone()).unwrap_or_default();
            return Ok(Value {
                taint: base.deep_taint(),
                normalized: true,
                ..Default::default()
            });
        }

        // ---- configparser: set(section, key, value) / get(section, key)
        if let (Some(n), Some(r)) = (&recv_name, &recv) {
            if r.obj == Some("config-parser") {
                let key = match (
                    argv.first().and_then(|a| a.konst.clone()),
                    argv.get(1).and_then(|a| a.konst.clone()),
                ) {
                    (Some(a), Some(b)) => {
                        Some(Const::Str(format!("{}\u{0}{}", a.to_text(), b.to_text())))
                    }
                    _ => None,
                };
                if method == "set" && argv.len() >= 3 {
                    let mut cur = r.clone();
                    set_elem(&mut cur, key, argv[2].clone());
                    env.insert(n.clone(), cur);
                    return Ok(Value::default());
                }
                if matches!(
                    method.as_str(),
                    "get" | "getint" | "getboolean" | "getfloat"
                ) && argv.len() >= 2
                {
                    let v = match key {
                        Some(k) => index_value(r, &Value::konst(k)),
                        None => r.all_elems(),
                    };
                    return Ok(if method == "get" { v } else { Value::default() });
                }
            }
        }

        // ---- strings, builders and collections
        if let Some(v) = self.builtin_method(
            &method,
            &path,
            is_new,
            recv_name.as_deref(),
            recv.as_ref(),
            &argv,
            env,
        ) {
            return Ok(v);
        }

        // ---- a tainted argument added to an object taints the object
        if let (Some(n), Some(r)) = (&recv_name, &recv) {
            if tables::MUTATORS.contains(&method.as_str()) && r.coll.is_none() {
                let t = argv
                    .iter()
                    .fold(None, |acc, a| join_taint(&acc, &a.deep_taint()));
                if t.is_some() {
                    let mut nv = r.clone();
                    nv.taint = join_taint(&nv.taint, &t);
                    nv.konst = None;
                    env.insert(n.clone(), nv);
                }
            }
        }

        // ---- facts on objects: cookie.setSecure(true), factory.setFeature(..)
        if let (Some(n), Some(r)) = (&recv_name, &recv) {
            if r.obj.is_some()
                && (method.starts_with("set") || method == "disable" || method == "enable")
            {
                let mut nv = r.clone();
                let mut facts = nv.facts.as_deref().cloned().unwrap_or_default();
                facts.push((
                    method.clone(),
                    argv.iter().map(|a| a.konst.clone()).collect(),
                ));
                nv.facts = Some(Rc::new(facts));
                env.insert(n.clone(), nv);
            }
        }

        // ---- unknown call: arguments' taint flows to the result
        let clean_result = consuming || tables::CLEAN_RESULT_METHODS.contains(&method.as_str());
        if !clean_result {
            let mut t = None;
            if let Some(r) = &recv {
                t = join_taint(&t, &r.deep_taint());
            }
            for a in &argv {
                t = join_taint(&t, &a.deep_taint());
            }
            // Go `json.NewDecoder(r.Body).Decode(&v)`: a tainted reader fills v
            if recv.as_ref().is_some_and(|r| r.taint.is_some()) {
                for a in args {
                    if let Expr::Un(UnOp::Other, inner) = &a.value {
                        let v = Value {
                            taint: t.clone(),
                            ..Default::default()
                        };
                        self.assign(inner, v, span, env)?;
                    }
                }
            }
            out.taint = t;
            if out.obj.is_none() {
                if let Some(r) = &recv {
                    if matches!(method.as_str(), "getWriter") {
                        out.obj = Some("writer");
                    }
                    let _ = r;
                }
            }
        }
        Ok(out)
    }

    fn sink_taint(
        &self,
        s: &tables::SinkSpec,
        args: &[Arg],
        argv: &[Value],
        recv: Option<&Value>,
        _path: &str,
    ) -> Option<Rc<Taint>> {
        match &s.args {
            ArgSel::Any => argv.iter().find_map(|a| a.deep_taint()),
            ArgSel::Receiver => recv.and_then(|r| r.deep_taint()),
            ArgSel::Pos(i, kw) => {
                if let Some(kw) = kw {
                    if let Some(pos) = args.iter().position(|a| a.name.as_deref() == Some(kw)) {
                        return argv.get(pos).and_then(|a| a.deep_taint());
                    }
                }
                let positional: Vec<usize> = args
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.name.is_none())
                    .map(|(i, _)| i)
                    .collect();
                positional
                    .get(*i)
                    .and_then(|p| argv.get(*p))
                    .and_then(|a| a.deep_taint())
            }
            ArgSel::Program => {
                let shell = args.iter().zip(argv).any(|(a, v)| {
                    a.name.as_deref() == Some("shell") && v.konst.as_ref().is_some_and(|k| k.truthy())
                }) || argv.iter().any(|v| {
                    // JS spawn(cmd, args, {shell: true})
                    matches!(v.coll.as_deref(), Some(Coll::Map(m, _)) if m.iter().any(|(k, x)| k.as_str() == Some("shell") && x.konst.as_ref().is_some_and(|c| c.truthy())))
                });
                let first = argv.first()?;
                if shell {
                    return first.deep_taint();
                }
                match first.coll.as_deref() {
                    Some(Coll::List(items)) => {
                        let prog = items.first()?;
                        if let Some(t) = prog.deep_taint() {
                            return Some(t);
                        }
                        // `sh -c <tainted>`
                        let is_shell = is_shell_program(prog.konst.as_ref());
                        // an unknown program (chosen at run time, e.g. per OS) may be a shell
                        if is_shell || prog.konst.is_none() {
                            return items.iter().skip(1).find_map(|x| x.deep_taint());
                        }
                        None
                    }
                    _ => {
                        if let Some(t) = first.taint.clone() {
                            return Some(t);
                        }
                        // Go exec.Command("sh", "-c", t)
                        let is_shell = is_shell_program(first.konst.as_ref());
                        if is_shell {
                            return argv.iter().skip(1).find_map(|x| x.deep_taint());
                        }
                        None
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record_call(
        &mut self,
        path: &str,
        method: &str,
        is_new: bool,
        args: &[Arg],
        argv: &[Value],
        recv: Option<&Value>,
        span: Span,
    ) {
        if !self.report_events {
            return;
        }
        self.calls.push(CallEvent {
            path: path.to_string(),
            method: method.to_string(),
            is_new,
            args: args
                .iter()
                .zip(argv)
                .map(|(a, v)| super::ArgInfo {
                    name: a.name.clone(),
                    konst: v.konst.clone(),
                    tainted: v.deep_taint().is_some(),
                    map: match v.coll.as_deref() {
                        Some(Coll::Map(m, _)) => m
                            .iter()
                            .map(|(k, x)| {
                                (
                                    k.to_text(),
                                    x.konst.clone(),
                                    x.coll.as_deref().map(coll_consts),
                                )
                            })
                            .collect(),
                        _ => vec![],
                    },
                    list: match v.coll.as_deref() {
                        Some(c @ Coll::List(_)) => coll_consts(c),
                        _ => vec![],
                    },
                    facts: v.facts.as_deref().cloned().unwrap_or_default(),
                    obj: v.obj,
                    path: match &a.value {
                        Expr::Name(_) | Expr::Attr(..) => {
                            Some(self.path_of(&a.value, &HashMap::new()))
                        }
                        _ => None,
                    },
                })
                .collect(),
            recv_obj: recv.and_then(|r| r.obj),
            recv_facts: recv
                .and_then(|r| r.facts.as_deref().cloned())
                .unwrap_or_default(),
            span,
            func: self.func,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn builtin_method(
        &mut self,
        method: &str,
        path: &str,
        is_new: bool,
        recv_name: Option<&str>,
        recv: Option<&Value>,
        argv: &[Value],
        env: &mut Env,
    ) -> Option<Value> {
        let a0 = argv.first();
        // constructors that copy their argument
        if is_new {
            let short = path.rsplit('.').next().unwrap_or("");
            if matches!(short, "StringBuilder" | "StringBuffer" | "String") {
                let base = a0
                    .cloned()
                    .unwrap_or_else(|| Value::konst(Const::Str(String::new())));
                return Some(Value {
                    konst: match &base.konst {
                        Some(Const::Str(s)) => Some(Const::Str(s.clone())),
                        Some(Const::Int(_)) if short != "String" => Some(Const::Str(String::new())),
                        _ => None,
                    },
                    taint: base.deep_taint(),
                    ..Default::default()
                });
            }
            if matches!(
                short,
                "ArrayList" | "LinkedList" | "HashSet" | "TreeSet" | "Vector" | "ArrayDeque"
            ) {
                return Some(match a0 {
                    Some(v) if v.coll.is_some() => v.clone(),
                    Some(v) => Value {
                        taint: v.deep_taint(),
                        coll: Some(Rc::new(Coll::List(vec![]))),
                        ..Default::default()
                    },
                    None => Value {
                        coll: Some(Rc::new(Coll::List(vec![]))),
                        ..Default::default()
                    },
                });
            }
            if matches!(
                short,
                "HashMap" | "TreeMap" | "LinkedHashMap" | "Hashtable" | "Map" | "Properties"
            ) {
                return Some(Value {
                    coll: Some(Rc::new(Coll::Map(vec![], None))),
                    ..Default::default()
                });
            }
        }
        match path {
            "dict" | "list" | "set" | "tuple" | "Array.from" | "Arrays.asList" | "List.of"
            | "Set.of" => {
                return Some(match a0 {
                    Some(v) if v.coll.is_some() => v.clone(),
                    Some(v) => Value {
                        taint: v.deep_taint(),
                        ..Default::default()
                    },
                    None => Value {
                        coll: Some(Rc::new(if path == "dict" {
                            Coll::Map(vec![], None)
                        } else {
                            Coll::List(vec![])
                        })),
                        ..Default::default()
                    },
                });
            }
            "str" | "String.valueOf" | "String" | "fmt.Sprint" | "Integer.toString" | "repr" => {
                let v = a0.cloned().unwrap_or_default();
                return Some(Value {
                    konst: v.konst.as_ref().map(|k| Const::Str(k.to_text())),
                    taint: v.deep_taint(),
                    ..Default::default()
                });
            }
            "fmt.Sprintf" | "String.format" | "format" => {
                let mut t = None;
                for a in argv {
                    t = join_taint(&t, &a.deep_taint());
                }
                let konst = match (a0.and_then(|a| a.konst.clone()), argv.len()) {
                    (Some(c), 1) => Some(c),
                    _ => None,
                };
                return Some(Value {
                    konst,
                    taint: t,
                    ..Default::default()
                });
            }
            _ => {}
        }
        let r = recv?;
        // string methods, folded when the receiver is a constant
        if let Some(Const::Str(s)) = &r.konst {
            if r.taint.is_none() {
                let k = |c| Some(Value::konst(c));
                let int_arg = |i: usize| {
                    argv.get(i).and_then(|a| match a.konst {
                        Some(Const::Int(n)) => Some(n),
                        _ => None,
                    })
                };
                match method {
                    "upper" | "toUpperCase" => return k(Const::Str(s.to_uppercase())),
                    "lower" | "toLowerCase" => return k(Const::Str(s.to_lowercase())),
                    "strip" | "trim" => return k(Const::Str(s.trim().to_string())),
                    "charAt" => {
                        if let Some(i) = int_arg(0) {
                            if let Some(c) = s.chars().nth(i as usize) {
                                return k(Const::Str(c.to_string()));
                            }
                        }
                    }
                    "substring" => {
                        if let Some(a) = int_arg(0) {
                            let chars: Vec<char> = s.chars().collect();
                            let b = int_arg(1).unwrap_or(chars.len() as i64);
                            if a >= 0 && b >= a && (b as usize) <= chars.len() {
                                return k(Const::Str(
                                    chars[a as usize..b as usize].iter().collect(),
                                ));
                            }
                        }
                    }
                    "length" | "len" => return k(Const::Int(s.chars().count() as i64)),
                    "split" => {
                        let sep = argv
                            .first()
                            .and_then(|a| a.konst.as_ref())
                            .and_then(|c| c.as_str())
                            .map(str::to_string);
                        let parts: Vec<Value> = match &sep {
                            Some(sep) if !sep.is_empty() => s
                                .split(sep.as_str())
                                .map(|p| Value::konst(Const::Str(p.to_string())))
                                .collect(),
                            _ => s
                                .split_whitespace()
                                .map(|p| Value::konst(Const::Str(p.to_string())))
                                .collect(),
                        };
                        return Some(Value {
                            coll: Some(Rc::new(Coll::List(parts))),
                            ..Default::default()
                        });
                    }
                    "toString" | "valueOf" | "intern" => return Some(r.clone()),
                    "equals" | "startsWith" | "endsWith" | "startswith" | "endswith"
                    | "contains" => {
                        if let Some(Const::Str(o)) = a0.and_then(|a| a.konst.as_ref()) {
                            let b = match method {
                                "equals" => s == o,
                                "startsWith" | "startswith" => s.starts_with(o.as_str()),
                                "endsWith" | "endswith" => s.ends_with(o.as_str()),
                                _ => s.contains(o.as_str()),
                            };
                            return k(Const::Bool(b));
                        }
                    }
                    "format" => {
                        let mut t = None;
                        for a in argv {
                            t = join_taint(&t, &a.deep_taint());
                        }
                        return Some(Value {
                            taint: t,
                            ..Default::default()
                        });
                    }
                    _ => {}
                }
            }
        }
        // builders: sb.append(x)
        let is_builder = r.coll.is_none()
            && (r.konst.as_ref().is_some_and(|c| matches!(c, Const::Str(_))) || r.taint.is_some());
        if method == "append" && is_builder && recv_name.is_some() {
            let a = a0.cloned().unwrap_or_default();
            let nv = Value {
                konst: match (&r.konst, &a.konst) {
                    (Some(x), Some(y)) => {
                        Some(Const::Str(format!("{}{}", x.to_text(), y.to_text())))
                    }
                    _ => None,
                },
                taint: join_taint(&r.taint, &a.deep_taint()),
                ..Default::default()
            };
            if let Some(n) = recv_name {
                env.insert(n.to_string(), nv.clone());
            }
            return Some(nv);
        }
        if matches!(
            method,
            "toString" | "build" | "getBytes" | "toCharArray" | "trim" | "strip"
        ) && r.coll.is_none()
        {
            return Some(Value {
                konst: r.konst.clone(),
                taint: r.deep_taint(),
                ..Default::default()
            });
        }
        // collections
        let coll = r.coll.as_deref()?;
        let name = recv_name?;
        let mut nv = r.clone();
        let result = match (coll, method) {
            (Coll::List(items), "append" | "add" | "push" | "addLast" | "offer") => {
                let mut items = items.clone();
                if argv.len() == 2 && method == "add" {
                    // list.add(index, value)
                    let idx = match argv[0].konst {
                        Some(Const::Int(i)) => Some(i as usize),
                        _ => None,
                    };
                    match idx {
                        Some(i) if i <= items.len() => items.insert(i, argv[1].clone()),
                        _ => items.push(argv[1].clone()),
                    }
                } else if let Some(a) = a0 {
                    if items.len() < MAX_ELEMS {
                        items.push(a.clone());
                    }
                }
                nv.coll = Some(Rc::new(Coll::List(items)));
                Value::konst(Const::Bool(true))
            }
            (Coll::List(items), "addFirst" | "unshift") => {
                let mut items = items.clone();
                if let Some(a) = a0 {
                    items.insert(0, a.clone());
                }
                nv.coll = Some(Rc::new(Coll::List(items)));
                Value::default()
            }
            (Coll::List(items), "insert") if argv.len() == 2 => {
                let mut items = items.clone();
                match argv[0].konst {
                    Some(Const::Int(i)) if (i as usize) <= items.len() => {
                        items.insert(i as usize, argv[1].clone())
                    }
                    _ => items.push(argv[1].clone()),
                }
                nv.coll = Some(Rc::new(Coll::List(items)));
                Value::default()
            }
            (Coll::List(items), "extend" | "addAll") => {
                let mut items = items.clone();
                if let Some(a) = a0 {
                    match a.coll.as_deref() {
                        Some(Coll::List(o)) => items.extend(o.iter().cloned()),
                        _ => items.push(a.all_elems()),
                    }
                }
                nv.coll = Some(Rc::new(Coll::List(items)));
                Value::default()
            }
            (Coll::List(items), "pop" | "remove" | "poll" | "removeFirst" | "shift") => {
                let mut items = items.clone();
                let idx = match a0.and_then(|a| a.konst.clone()) {
                    Some(Const::Int(i)) if i >= 0 => Some(i as usize),
                    Some(Const::Int(i)) if i < 0 => {
                        items.len().checked_sub(i.unsigned_abs() as usize)
                    }
                    None if a0.is_none() && method == "pop" && self.lang == Lang::Python => {
                        items.len().checked_sub(1)
                    }
                    None if a0.is_none() => Some(0),
                    _ => None,
                };
                match idx {
                    Some(i) if i < items.len() => {
                        let v = items.remove(i);
                        nv.coll = Some(Rc::new(Coll::List(items)));
                        v
                    }
                    _ => {
                        // remove(Object) or unknown index: the list keeps everything
                        r.all_elems()
                    }
                }
            }
            (Coll::List(items), "get" | "elementAt") => match a0.and_then(|a| a.konst.clone()) {
                Some(Const::Int(i)) if (i as usize) < items.len() && i >= 0 => {
                    items[i as usize].clone()
                }
                _ => r.all_elems(),
            },
            (Coll::List(items), "set") if argv.len() == 2 => {
                let mut items = items.clone();
                if let Some(Const::Int(i)) = argv[0].konst {
                    if (i as usize) < items.len() && i >= 0 {
                        items[i as usize] = argv[1].clone();
                    }
                }
                nv.coll = Some(Rc::new(Coll::List(items)));
                Value::default()
            }
            (Coll::List(_), "join") => {
                let e = a0.map(|a| a.all_elems()).unwrap_or_default();
                Value {
                    taint: e.deep_taint().or(r.deep_taint()),
                    ..Default::default()
                }
            }
            (
                Coll::List(_),
                "toArray" | "iterator" | "stream" | "copy" | "clone" | "subList" | "toList",
            ) => r.clone(),
            (Coll::Map(items, u), "put" | "set" | "__setitem__" | "setdefault" | "putIfAbsent")
                if argv.len() >= 2 =>
            {
                let mut items = items.clone();
                let mut u = u.clone();
                match &argv[0].konst {
                    Some(k) => match items.iter_mut().find(|(x, _)| x == k) {
                        Some((_, v)) => {
                            if method != "setdefault" && method != "putIfAbsent" {
                                *v = argv[1].clone();
                            }
                        }
                        None => items.push((k.clone(), argv[1].clone())),
                    },
                    None => {
                        let mut j = argv[1].clone();
                        j.taint = join_taint(&j.taint, &argv[0].taint);
                        u = Some(Box::new(match u {
                            Some(x) => join(&x, &j),
                            None => j,
                        }));
                    }
                }
                nv.coll = Some(Rc::new(Coll::Map(items, u)));
                Value::default()
            }
            (Coll::Map(items, u), "get" | "getOrDefault" | "pop" | "getProperty" | "remove") => {
                match a0.and_then(|a| a.konst.clone()) {
                    Some(k) => match items.iter().find(|(x, _)| *x == k) {
                        Some((_, v)) => {
                            let v = v.clone();
                            match &u {
                                Some(u) => join(&v, u),
                                None => v,
                            }
                        }
                        None => {
                            let d = argv.get(1).cloned().unwrap_or_default();
                            match &u {
                                Some(u) => join(&d, u),
                                None => d,
                            }
                        }
                    },
                    None => r.all_elems(),
                }
            }
            (Coll::Map(..), "update" | "putAll") => {
                if let Some(a) = a0 {
                    let j = a.all_elems();
                    if let Some(Coll::Map(items, u)) = r.coll.as_deref() {
                        let mut items = items.clone();
                        if let Some(Coll::Map(o, _)) = a.coll.as_deref() {
                            items.extend(o.iter().cloned());
                            nv.coll = Some(Rc::new(Coll::Map(items, u.clone())));
                        } else {
                            nv.coll = Some(Rc::new(Coll::Map(items, Some(Box::new(j)))));
                        }
                    }
                }
                Value::default()
            }
            (Coll::Map(..), "values" | "keys" | "items" | "keySet" | "entrySet" | "entries") => {
                Value {
                    taint: r.deep_taint(),
                    coll: Some(Rc::new(Coll::List(vec![r.all_elems()]))),
                    ..Default::default()
                }
            }
            _ => return None,
        };
        if nv != *r {
            env.insert(name.to_string(), nv);
        }
        Some(result)
    }
}

fn coll_consts(c: &Coll) -> Vec<Option<Const>> {
    match c {
        Coll::List(v) => v.iter().map(|x| x.konst.clone()).collect(),
        Coll::Map(v, _) => v.iter().map(|(_, x)| x.konst.clone()).collect(),
        Coll::Empty => vec![],
    }
}

fn kind_static(k: &str) -> &'static str {
    for (_, kind) in tables::TYPE_KINDS.iter().chain(tables::FACTORY_KINDS) {
        if *kind == k {
            return kind;
        }
    }
    "?"
}

fn is_request_member(m: &str, lang: Lang) -> bool {
    tables::REQUEST_MEMBERS
        .iter()
        .any(|(n, l)| *n == m && l.contains(&lang))
}

fn clean(v: &mut Value, kinds: Kinds) {
    if let Some(t) = &v.taint {
        let rest = t.kinds & !kinds;
        v.taint = if rest == 0 {
            None
        } else {
            let mut nt = (**t).clone();
            nt.kinds = rest;
            Some(Rc::new(nt))
        };
    }
    if let Some(c) = &v.coll {
        let mut c2 = (**c).clone();
        match &mut c2 {
            Coll::List(items) => items.iter_mut().for_each(|x| clean(x, kinds)),
            Coll::Map(items, u) => {
                items.iter_mut().for_each(|(_, x)| clean(x, kinds));
                if let Some(u) = u {
                    clean(u, kinds);
                }
            }
            Coll::Empty => {}
        }
        v.coll = Some(Rc::new(c2));
    }
}

fn push_step(trace: &mut Vec<Step>, span: Span, message: String) {
    if trace.len() < MAX_TRACE {
        trace.push(Step { span, message });
    }
}

fn set_elem(cur: &mut Value, key: Option<Const>, v: Value) {
    let coll = cur
        .coll
        .as_deref()
        .cloned()
        .unwrap_or(Coll::Map(vec![], None));
    let new = match (coll, key) {
        (Coll::List(mut items), Some(Const::Int(i))) if i >= 0 && (i as usize) < items.len() => {
            items[i as usize] = v;
            Coll::List(items)
        }
        (Coll::Map(mut items, u), Some(k)) => {
            match items.iter_mut().find(|(x, _)| *x == k) {
                Some((_, x)) => *x = v,
                None => {
                    if items.len() < MAX_ELEMS {
                        items.push((k, v));
                    }
                }
            }
            Coll::Map(items, u)
        }
        (Coll::Map(items, u), None) => {
            let j = match u {
                Some(x) => join(&x, &v),
                None => v,
            };
            Coll::Map(items, Some(Box::new(j)))
        }
        (Coll::List(mut items), _) => {
            let all = join(&x_elems(&Coll::List(items.clone())), &v);
            items.clear();
            items.push(all);
            Coll::List(items)
        }
        (Coll::Empty, _) => Coll::List(vec![v]),
    };
    cur.coll = Some(Rc::new(new));
}

fn index_value(ov: &Value, iv: &Value) -> Value {
    match (ov.coll.as_deref(), &iv.konst) {
        (Some(Coll::List(items)), Some(Const::Int(i))) => {
            let idx = if *i < 0 { items.len() as i64 + i } else { *i };
            if idx >= 0 && (idx as usize) < items.len() {
                return items[idx as usize].clone();
            }
            ov.all_elems()
        }
        (Some(Coll::Map(items, u)), Some(k)) => match items.iter().find(|(x, _)| x == k) {
            Some((_, v)) => match u {
                Some(u) => join(v, u),
                None => v.clone(),
            },
            None => match u {
                Some(u) => (**u).clone(),
                None => Value {
                    taint: ov.taint.clone(),
                    ..Default::default()
                },
            },
        },
        (Some(_), _) => {
            let mut e = ov.all_elems();
            e.taint = join_taint(&e.taint, &ov.taint);
            e
        }
        (None, _) => {
            if let (Some(Const::Str(s)), Some(Const::Int(i)), None) =
                (&ov.konst, &iv.konst, &ov.taint)
            {
                let chars: Vec<char> = s.chars().collect();
                let idx = if *i < 0 { chars.len() as i64 + i } else { *i };
                if idx >= 0 && (idx as usize) < chars.len() {
                    return Value::konst(Const::Str(chars[idx as usize].to_string()));
                }
            }
            Value {
                taint: ov.taint.clone(),
                obj: None,
                ..Default::default()
            }
        }
    }
}

fn binop(op: BinOp, a: &Value, b: &Value) -> Value {
    use BinOp::*;
    if let (Some(x), Some(y), None, None) = (&a.konst, &b.konst, &a.taint, &b.taint) {
        if let Some(c) = fold(op, x, y) {
            return Value::konst(c);
        }
    }
    match op {
        Eq | Ne | Lt | Le | Gt | Ge | In | NotIn => Value::default(),
        And | Or => join(a, b),
        Add => Value {
            taint: join_taint(&a.deep_taint(), &b.deep_taint()),
            prefix: a.known_prefix().map(Rc::from),
            ..Default::default()
        },
        _ => Value {
            taint: join_taint(&a.deep_taint(), &b.deep_taint()),
            ..Default::default()
        },
    }
}

fn fold(op: BinOp, x: &Const, y: &Const) -> Option<Const> {
    use BinOp::*;
    use Const::*;
    Some(match (op, x, y) {
        (Add, Int(a), Int(b)) => Int(a.checked_add(*b)?),
        (Sub, Int(a), Int(b)) => Int(a.checked_sub(*b)?),
        (Mul, Int(a), Int(b)) => Int(a.checked_mul(*b)?),
        (Div, Int(a), Int(b)) if *b != 0 => Int(a.checked_div(*b)?),
        (Mod, Int(a), Int(b)) if *b != 0 => Int(a.checked_rem(*b)?),
        (Add, Str(a), b) => Str(format!("{a}{}", b.to_text())),
        (Add, a, Str(b)) => Str(format!("{}{b}", a.to_text())),
        (Eq, a, b) => Bool(a == b),
        (Ne, a, b) => Bool(a != b),
        (Lt, Int(a), Int(b)) => Bool(a < b),
        (Le, Int(a), Int(b)) => Bool(a <= b),
        (Gt, Int(a), Int(b)) => Bool(a > b),
        (Ge, Int(a), Int(b)) => Bool(a >= b),
        (And, a, b) => {
            if a.truthy() {
                b.clone()
            } else {
                a.clone()
            }
        }
        (Or, a, b) => {
            if a.truthy() {
                a.clone()
            } else {
                b.clone()
            }
        }
        (In, Str(a), Str(b)) => Bool(b.contains(a.as_str())),
        _ => return None,
    })
}

/// A redirect target that starts with a local path (`/x`, not `//host`).
fn fixed_local_path(prefix: &str) -> bool {
    prefix.starts_with('/') && !prefix.starts_with("//") && !prefix.starts_with("/\\")
}

/// A URL whose scheme and host are fixed (`https://api.example.com/...`).
fn fixed_host(prefix: &str) -> bool {
    let rest = prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"));
    rest.is_some_and(|r| r.find('/').is_some_and(|i| i > 0))
}

/// `str(x)`, `String(x)`, `String.valueOf(x)`: the guarded value is `x`.
fn unwrap_str(e: &Expr) -> &Expr {
    match e {
        Expr::Call { callee, args, .. } if args.len() == 1 => match &**callee {
            Expr::Name(n) if matches!(n.as_str(), "str" | "String") => &args[0].value,
            Expr::Attr(o, m)
                if m == "valueOf" && matches!(&**o, Expr::Name(s) if s == "String") =>
            {
                &args[0].value
            }
            _ => e,
        },
        _ => e,
    }
}

/// Evaluates without recording anything (for guards).
fn eval_quiet(e: &Expr, env: &Env) -> Value {
    match e {
        Expr::Name(n) => env.get(n).cloned().unwrap_or_default(),
        Expr::Lit(c) => Value::konst(c.clone()),
        Expr::List(_) | Expr::Dict(_) => Value::default(),
        _ => Value::default(),
    }
}

/// Whether a constant program name is a shell that runs its argument as a
/// command line (`sh -c`, `cmd /c`, `powershell -Command`), by its last path
/// segment.
fn is_shell_program(konst: Option<&Const>) -> bool {
    konst.and_then(|k| k.as_str()).is_some_and(|p| {
        matches!(
            p.rsplit('/').next(),
            Some("sh" | "bash" | "zsh" | "cmd" | "cmd.exe" | "powershell" | "dash")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(
            fold(BinOp::Add, &Const::Int(7 * 18), &Const::Int(106)),
            Some(Const::Int(232))
        );
        assert_eq!(
            fold(BinOp::Gt, &Const::Int(232), &Const::Int(200)),
            Some(Const::Bool(true))
        );
        assert_eq!(
            fold(BinOp::Add, &Const::Str("a".into()), &Const::Int(1)),
            Some(Const::Str("a1".into()))
        );
        assert_eq!(fold(BinOp::Div, &Const::Int(1), &Const::Int(0)), None);
        assert_eq!(
            fold(BinOp::Mul, &Const::Int(i64::MAX), &Const::Int(2)),
            None
        );
    }
}
