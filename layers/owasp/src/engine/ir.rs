//! The per-function representation every language is lowered to.
//!
//! Small on purpose: the interpreter only needs to know where values come
//! from, how they are combined and where they go.

/// A source range: 1-based lines and columns (columns in characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start_line: u32,
    pub start_col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

/// A constant the interpreter can fold.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

impl Const {
    /// Truthiness as Python and JavaScript define it (Java and Go only test booleans).
    pub fn truthy(&self) -> bool {
        match self {
            Const::Str(s) => !s.is_empty(),
            Const::Int(i) => *i != 0,
            Const::Float(f) => *f != 0.0,
            Const::Bool(b) => *b,
            Const::Null => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Const::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text a value has when it is concatenated into a string.
    pub fn to_text(&self) -> String {
        match self {
            Const::Str(s) => s.clone(),
            Const::Int(i) => i.to_string(),
            Const::Float(f) => f.to_string(),
            Const::Bool(b) => b.to_string(),
            Const::Null => "null".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    In,
    NotIn,
    /// Bit operations, shifts, `is`, ...: evaluated for taint only.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    Other,
}

#[derive(Debug, Clone)]
pub struct Arg {
    /// Keyword name (`shell=True`), or `None` for a positional argument.
    pub name: Option<String>,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Lit(Const),
    Name(String),
    Attr(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    Call {
        callee: Box<Expr>,
        args: Vec<Arg>,
        /// `new T(...)` in Java and JavaScript; `T{...}` in Go.
        is_new: bool,
        span: Span,
    },
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Un(UnOp, Box<Expr>),
    /// f-strings, template literals: the parts are concatenated.
    Template(Vec<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// A nested function or lambda (lowered separately, by index).
    Func(usize),
    /// Anything else: its value mixes its parts.
    Opaque(Vec<Expr>),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Assign {
        target: Expr,
        value: Expr,
        /// Declared type (Java locals, Go `var x T`), if any.
        ty: Option<String>,
        span: Span,
    },
    Expr(Expr, Span),
    Return(Option<Expr>, Span),
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
    },
    Loop {
        /// `for x in e`: the loop variable and the iterated value.
        var: Option<Expr>,
        iter: Option<Expr>,
        cond: Option<Expr>,
        body: Vec<Stmt>,
    },
    Switch {
        subject: Expr,
        /// (labels, body); empty labels is `default`.
        cases: Vec<(Vec<Expr>, Vec<Stmt>)>,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Vec<Stmt>>,
        finally: Vec<Stmt>,
    },
    /// `raise`, `throw`, `abort(...)`, `panic(...)`: the path ends here.
    Throw(Span),
    Break,
    Continue,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    /// Declared type text, e.g. `int`, `HttpServletRequest`, `*http.Request`.
    pub ty: Option<String>,
    /// Annotation names on the parameter (`RequestParam`) and default-value
    /// callee names (FastAPI `Query`).
    pub marks: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub params: Vec<Param>,
    /// Decorator / annotation texts (`app.route`, `GetMapping`, `csrf_exempt`).
    pub decorators: Vec<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
    /// Index of the enclosing function (closures see its variables).
    pub parent: Option<usize>,
}

/// One parsed file lowered to functions; index 0 is the module top level.
#[derive(Debug, Clone, Default)]
pub struct Module {
    pub functions: Vec<Function>,
    /// Import aliases: local name -> qualified name (`sp` -> `subprocess`,
    /// `system` -> `os.system`, `rand` -> `math/rand`).
    pub imports: Vec<(String, String)>,
}
