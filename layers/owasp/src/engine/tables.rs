//! Framework knowledge as data: where untrusted values come from, where
//! they must not go, and what makes them safe. Only the lowering is per
//! language; these tables are read by the one interpreter.
//!
//! Callee patterns are dotted paths matched at a segment boundary against
//! the callee with import aliases resolved (`os.system` matches
//! `os.system(...)` and `import os as o; o.system(...)`):
//! - `a.b.c`   the path ends with `a.b.c`;
//! - `.m`      a method `m` on any receiver;
//! - `@kind.m` a method `m` on an object of a known kind (see [`TYPE_KINDS`]);
//! - `new T`   a constructor (`new T(...)`, Go `T{...}`, Python `T(...)`).

use super::Lang;

/// What a tainted value must not reach; a taint label is a set of these.
pub type Kinds = u32;
pub const SQL: Kinds = 1;
pub const CMD: Kinds = 1 << 1;
pub const CODE: Kinds = 1 << 2;
pub const PATH: Kinds = 1 << 3;
pub const SSRF: Kinds = 1 << 4;
pub const XSS: Kinds = 1 << 5;
pub const DESER: Kinds = 1 << 6;
pub const LDAP: Kinds = 1 << 7;
pub const XPATH: Kinds = 1 << 8;
pub const REDIRECT: Kinds = 1 << 9;
pub const TRUST: Kinds = 1 << 10;
pub const ALL: Kinds = (1 << 11) - 1;

/// Names of the kinds, for config files and messages.
pub const KIND_NAMES: &[(&str, Kinds)] = &[
    ("sql", SQL),
    ("command", CMD),
    ("code", CODE),
    ("path", PATH),
    ("ssrf", SSRF),
    ("xss", XSS),
    ("deserialization", DESER),
    ("ldap", LDAP),
    ("xpath", XPATH),
    ("redirect", REDIRECT),
    ("trust-boundary", TRUST),
    ("all", ALL),
];

pub fn kind_name(k: Kinds) -> &'static str {
    KIND_NAMES
        .iter()
        .find(|(_, v)| *v == k)
        .map(|(n, _)| *n)
        .unwrap_or("taint")
}

pub fn parse_kinds(s: &str) -> Option<Kinds> {
    let mut out = 0;
    for part in s.split([',', '|']) {
        let part = part.trim();
        out |= KIND_NAMES.iter().find(|(n, _)| *n == part)?.1;
    }
    Some(out)
}

/// Which arguments of a sink are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgSel {
    /// Any argument (elements of lists and maps included).
    Any,
    /// The n-th positional argument, or the keyword argument of that name.
    Pos(usize, Option<&'static str>),
    /// The receiver of a method call (`ois.readObject()`).
    Receiver,
    /// A command: with `shell=True` or a string, any taint; as an argv list,
    /// only a tainted program (element 0).
    Program,
}

#[derive(Debug, Clone)]
pub struct SinkSpec {
    pub pattern: String,
    pub kind: Kinds,
    pub args: ArgSel,
    pub langs: &'static [Lang],
    /// Short description used in messages.
    pub what: &'static str,
}

#[derive(Debug, Clone)]
pub struct SanitizerSpec {
    pub pattern: String,
    /// Labels removed from the value.
    pub cleans: Kinds,
    pub langs: &'static [Lang],
}

#[derive(Debug, Clone)]
pub struct SourceSpec {
    pub pattern: String,
    pub langs: &'static [Lang],
    pub what: &'static str,
    /// Input from the local user (command line, console, environment).
    pub local: bool,
}

const PY: &[Lang] = &[Lang::Python];
const JS: &[Lang] = &[Lang::JavaScript, Lang::TypeScript, Lang::Tsx];
const GO: &[Lang] = &[Lang::Go];
const JAVA: &[Lang] = &[Lang::Java];
const ANY: &[Lang] = &[
    Lang::Python,
    Lang::JavaScript,
    Lang::TypeScript,
    Lang::Tsx,
    Lang::Go,
    Lang::Java,
];

/// Names bound to the current HTTP request without being declared in the
/// function (Flask's `request` global), or parameters with these names.
pub const REQUEST_NAMES: &[(&str, &[Lang])] =
    &[("request", PY), ("req", JS), ("request", JS), ("ctx", JS)];

/// Parameters with these names are HTTP responses (Express, Node http).
pub const RESPONSE_NAMES: &[(&str, &[Lang])] = &[("res", JS), ("response", JS), ("reply", JS)];

/// Modules a Python `request` may come from; a `request` imported from
/// anywhere else (`from urllib import request`) is not an HTTP request.
pub const REQUEST_MODULES: &[&str] = &[
    "flask",
    "quart",
    "bottle",
    "werkzeug",
    "starlette",
    "fastapi",
    "django",
    "sanic",
    "falcon",
    "pyramid",
    "aiohttp",
    "tornado",
    "litestar",
];

/// Members of a request object that carry user input (attribute or method).
pub const REQUEST_MEMBERS: &[(&str, &[Lang])] = &[
    // Flask / Werkzeug
    ("args", PY),
    ("form", PY),
    ("values", PY),
    ("json", PY),
    ("get_json", PY),
    ("data", PY),
    ("get_data", PY),
    ("files", PY),
    ("cookies", PY),
    ("headers", PY),
    ("path", PY),
    ("full_path", PY),
    ("url", PY),
    ("base_url", PY),
    ("query_string", PY),
    ("stream", PY),
    ("environ", PY),
    // Django
    ("GET", PY),
    ("POST", PY),
    ("body", PY),
    ("COOKIES", PY),
    ("META", PY),
    ("FILES", PY),
    ("get_full_path", PY),
    ("build_absolute_uri", PY),
    ("read", PY),
    // FastAPI / Starlette
    ("query_params", PY),
    ("path_params", PY),
    ("body", PY),
    // Express / Koa / Next.js
    ("query", JS),
    ("body", JS),
    ("params", JS),
    ("headers", JS),
    ("cookies", JS),
    ("signedCookies", JS),
    ("url", JS),
    ("originalUrl", JS),
    ("path", JS),
    ("get", JS),
    ("header", JS),
    ("param", JS),
    ("request", JS),
    ("json", JS),
    ("formData", JS),
    ("text", JS),
    ("nextUrl", JS),
    ("searchParams", JS),
    ("files", JS),
    ("file", JS),
    ("hostname", JS),
    // Servlets
    ("getParameter", JAVA),
    ("getParameterValues", JAVA),
    ("getParameterMap", JAVA),
    ("getParameterNames", JAVA),
    ("getHeader", JAVA),
    ("getHeaders", JAVA),
    ("getHeaderNames", JAVA),
    ("getQueryString", JAVA),
    ("getRequestURI", JAVA),
    ("getRequestURL", JAVA),
    ("getPathInfo", JAVA),
    ("getInputStream", JAVA),
    ("getReader", JAVA),
    ("getCookies", JAVA),
    ("getPart", JAVA),
    ("getParts", JAVA),
    ("getTheParameter", JAVA),
    ("getTheValue", JAVA),
    // net/http
    ("FormValue", GO),
    ("PostFormValue", GO),
    ("URL", GO),
    ("Header", GO),
    ("Body", GO),
    ("Form", GO),
    ("PostForm", GO),
    ("Cookie", GO),
    ("Cookies", GO),
    ("PathValue", GO),
    ("RequestURI", GO),
    ("Host", GO),
    ("MultipartForm", GO),
    ("FormFile", GO),
    // gin
    ("Query", GO),
    ("DefaultQuery", GO),
    ("GetQuery", GO),
    ("QueryArray", GO),
    ("PostForm", GO),
    ("DefaultPostForm", GO),
    ("GetPostForm", GO),
    ("Param", GO),
    ("GetHeader", GO),
    ("GetRawData", GO),
    ("ShouldBind", GO),
    ("ShouldBindJSON", GO),
    ("ShouldBindQuery", GO),
    ("Bind", GO),
    ("BindJSON", GO),
    ("BindQuery", GO),
    ("ShouldBindUri", GO),
];

/// Declared types (Java, Go, TypeScript) and the object kind they give.
pub const TYPE_KINDS: &[(&str, &str)] = &[
    ("HttpServletRequest", "request"),
    ("ServletRequest", "request"),
    ("SeparateClassRequest", "request"),
    ("*http.Request", "request"),
    ("*gin.Context", "request"),
    ("echo.Context", "request"),
    ("PrintWriter", "writer"),
    ("java.io.PrintWriter", "writer"),
    ("http.ResponseWriter", "writer"),
    ("DirContext", "ldap"),
    ("InitialDirContext", "ldap"),
    ("javax.naming.directory.DirContext", "ldap"),
    ("LdapContext", "ldap"),
    ("XPath", "xpath"),
    ("javax.xml.xpath.XPath", "xpath"),
    ("ScriptEngine", "script"),
    ("Cookie", "cookie"),
    ("javax.servlet.http.Cookie", "cookie"),
    ("jakarta.servlet.http.Cookie", "cookie"),
    ("Random", "weak-random"),
    ("java.util.Random", "weak-random"),
    ("Request", "request"),
    ("NextRequest", "request"),
    ("Response", "response"),
    ("express.Response", "response"),
];

/// Calls whose result is an object of a known kind.
pub const FACTORY_KINDS: &[(&str, &str)] = &[
    (".getWriter", "writer"),
    (".getOutputStream", "writer"),
    (".getDirContext", "ldap"),
    ("new InitialDirContext", "ldap"),
    ("new InitialLdapContext", "ldap"),
    ("ldap.initialize", "ldap"),
    ("ldap3.Connection", "ldap"),
    ("new Connection", "ldap"),
    (".newXPath", "xpath"),
    (".getEngineByName", "script"),
    (".getEngineByExtension", "script"),
    (".getEngineByMimeType", "script"),
    ("new Cookie", "cookie"),
    ("new GroovyShell", "groovy"),
    ("configparser.ConfigParser", "config-parser"),
    ("configparser.RawConfigParser", "config-parser"),
    ("new Random", "weak-random"),
    ("new ObjectInputStream", "object-input"),
    ("DocumentBuilderFactory.newInstance", "xml-factory"),
    ("SAXParserFactory.newInstance", "xml-factory"),
    ("XMLInputFactory.newInstance", "xml-factory"),
    ("XMLInputFactory.newFactory", "xml-factory"),
    ("TransformerFactory.newInstance", "xml-factory"),
    ("SchemaFactory.newInstance", "xml-factory"),
    ("xml.sax.make_parser", "xml-parser"),
    ("ldapjs.createClient", "ldap"),
    ("ldap.createClient", "ldap"),
    ("ldap.DialURL", "ldap"),
    ("ldap.Dial", "ldap"),
];

/// Calls that return user input.
pub fn sources() -> Vec<SourceSpec> {
    let s = |p: &str, langs, what| SourceSpec {
        pattern: p.to_string(),
        langs,
        what,
        local: matches!(
            what,
            "a command-line argument" | "console input" | "an environment variable"
        ),
    };
    vec![
        s("mux.Vars", GO, "gorilla/mux path variables"),
        s("chi.URLParam", GO, "chi URL parameter"),
        s("location.search", JS, "the page URL"),
        s("location.hash", JS, "the page URL"),
        s("location.href", JS, "the page URL"),
        s("document.URL", JS, "the page URL"),
        s("document.documentURI", JS, "the page URL"),
        s("document.referrer", JS, "the referrer"),
        s("document.cookie", JS, "a cookie"),
        s("window.name", JS, "window.name"),
        s("System.getenv", JAVA, "an environment variable"),
        s("sys.argv", PY, "a command-line argument"),
        s("input", PY, "console input"),
        s("process.argv", JS, "a command-line argument"),
        s("os.Args", GO, "a command-line argument"),
    ]
}

pub fn sinks() -> Vec<SinkSpec> {
    let k = |p: &str, kind, args, langs, what| SinkSpec {
        pattern: p.to_string(),
        kind,
        args,
        langs,
        what,
    };
    use ArgSel::*;
    vec![
        // ---- SQL
        k(".execute", SQL, Pos(0, Some("sql")), PY, "a SQL query"),
        k(".executemany", SQL, Pos(0, None), PY, "a SQL query"),
        k(".executescript", SQL, Pos(0, None), PY, "a SQL script"),
        k(
            "sqlalchemy.text",
            SQL,
            Pos(0, None),
            PY,
            "a SQL text clause",
        ),
        k(".raw", SQL, Pos(0, None), PY, "a raw SQL query"),
        k("RawSQL", SQL, Pos(0, None), PY, "a raw SQL fragment"),
        k(".extra", SQL, Any, PY, "a raw SQL fragment"),
        k("pandas.read_sql", SQL, Pos(0, None), PY, "a SQL query"),
        k(".read_sql", SQL, Pos(0, None), PY, "a SQL query"),
        k(".read_sql_query", SQL, Pos(0, None), PY, "a SQL query"),
        k(".query", SQL, Pos(0, None), JS, "a SQL query"),
        k(".raw", SQL, Pos(0, None), JS, "a raw SQL query"),
        k(".$queryRawUnsafe", SQL, Pos(0, None), JS, "a raw SQL query"),
        k(
            ".$executeRawUnsafe",
            SQL,
            Pos(0, None),
            JS,
            "a raw SQL query",
        ),
        k(".Query", SQL, Pos(0, None), GO, "a SQL query"),
        k(".QueryRow", SQL, Pos(0, None), GO, "a SQL query"),
        k(".Exec", SQL, Pos(0, None), GO, "a SQL statement"),
        k(".QueryContext", SQL, Pos(1, None), GO, "a SQL query"),
        k(".QueryRowContext", SQL, Pos(1, None), GO, "a SQL query"),
        k(".ExecContext", SQL, Pos(1, None), GO, "a SQL statement"),
        k(".Raw", SQL, Pos(0, None), GO, "a raw SQL query"),
        k(".execute", SQL, Pos(0, None), JAVA, "a SQL statement"),
        k(".executeQuery", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".executeUpdate", SQL, Pos(0, None), JAVA, "a SQL statement"),
        k(
            ".executeLargeUpdate",
            SQL,
            Pos(0, None),
            JAVA,
            "a SQL statement",
        ),
        k(".addBatch", SQL, Pos(0, None), JAVA, "a SQL statement"),
        k(
            ".prepareStatement",
            SQL,
            Pos(0, None),
            JAVA,
            "a prepared SQL statement",
        ),
        k(".prepareCall", SQL, Pos(0, None), JAVA, "a SQL call"),
        k(".createQuery", SQL, Pos(0, None), JAVA, "a query"),
        k(".createNativeQuery", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".query", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".queryForObject", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".queryForList", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".queryForMap", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".queryForRowSet", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".queryForLong", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".queryForInt", SQL, Pos(0, None), JAVA, "a SQL query"),
        k(".update", SQL, Pos(0, None), JAVA, "a SQL statement"),
        k(".batchUpdate", SQL, Any, JAVA, "a SQL statement"),
        // ---- OS command
        k("os.system", CMD, Any, PY, "a shell command"),
        k("os.popen", CMD, Any, PY, "a shell command"),
        k("os.popen2", CMD, Any, PY, "a shell command"),
        k("os.execl", CMD, Pos(0, None), PY, "a program path"),
        k("os.execv", CMD, Program, PY, "a program"),
        k("os.execvp", CMD, Pos(0, None), PY, "a program path"),
        k("os.execlp", CMD, Pos(0, None), PY, "a program path"),
        k("os.spawnl", CMD, Pos(1, None), PY, "a program path"),
        k("os.spawnv", CMD, Pos(1, None), PY, "a program path"),
        k("subprocess.run", CMD, Program, PY, "a command"),
        k("subprocess.call", CMD, Program, PY, "a command"),
        k("subprocess.check_call", CMD, Program, PY, "a command"),
        k("subprocess.check_output", CMD, Program, PY, "a command"),
        k("subprocess.Popen", CMD, Program, PY, "a command"),
        k("subprocess.getoutput", CMD, Any, PY, "a shell command"),
        k(
            "subprocess.getstatusoutput",
            CMD,
            Any,
            PY,
            "a shell command",
        ),
        k(
            "asyncio.create_subprocess_shell",
            CMD,
            Any,
            PY,
            "a shell command",
        ),
        k("commands.getoutput", CMD, Any, PY, "a shell command"),
        k(
            "child_process.exec",
            CMD,
            Pos(0, None),
            JS,
            "a shell command",
        ),
        k(
            "child_process.execSync",
            CMD,
            Pos(0, None),
            JS,
            "a shell command",
        ),
        k("child_process.spawn", CMD, Program, JS, "a command"),
        k("child_process.spawnSync", CMD, Program, JS, "a command"),
        k(
            "child_process.execFile",
            CMD,
            Pos(0, None),
            JS,
            "a program path",
        ),
        k(
            "child_process.execFileSync",
            CMD,
            Pos(0, None),
            JS,
            "a program path",
        ),
        k("exec.Command", CMD, Program, GO, "a command"),
        k("exec.CommandContext", CMD, Any, GO, "a command"),
        k(".exec", CMD, Any, JAVA, "a command"),
        k("new ProcessBuilder", CMD, Any, JAVA, "a command"),
        k(".command", CMD, Any, JAVA, "a command"),
        // ---- code
        k("eval", CODE, Pos(0, None), PY, "eval"),
        k("exec", CODE, Pos(0, None), PY, "exec"),
        k("compile", CODE, Pos(0, None), PY, "compile"),
        k("eval", CODE, Pos(0, None), JS, "eval"),
        k("new Function", CODE, Any, JS, "new Function"),
        k("Function", CODE, Any, JS, "Function"),
        k(
            "setTimeout",
            CODE,
            Pos(0, None),
            JS,
            "setTimeout with a string",
        ),
        k(
            "setInterval",
            CODE,
            Pos(0, None),
            JS,
            "setInterval with a string",
        ),
        k("vm.runInNewContext", CODE, Pos(0, None), JS, "vm"),
        k("vm.runInThisContext", CODE, Pos(0, None), JS, "vm"),
        k("vm.runInContext", CODE, Pos(0, None), JS, "vm"),
        k("@script.eval", CODE, Pos(0, None), JAVA, "a script engine"),
        k(
            "@groovy.evaluate",
            CODE,
            Pos(0, None),
            JAVA,
            "a Groovy shell",
        ),
        k(
            ".parseExpression",
            CODE,
            Pos(0, None),
            JAVA,
            "a SpEL expression",
        ),
        // ---- path
        k("open", PATH, Pos(0, Some("file")), PY, "a file path"),
        k("io.open", PATH, Pos(0, None), PY, "a file path"),
        k("codecs.open", PATH, Pos(0, None), PY, "a file path"),
        k("os.remove", PATH, Pos(0, None), PY, "a file path"),
        k("os.unlink", PATH, Pos(0, None), PY, "a file path"),
        k("os.rmdir", PATH, Pos(0, None), PY, "a file path"),
        k("os.listdir", PATH, Pos(0, None), PY, "a directory path"),
        k("os.rename", PATH, Any, PY, "a file path"),
        k("os.makedirs", PATH, Pos(0, None), PY, "a directory path"),
        k("os.mkdir", PATH, Pos(0, None), PY, "a directory path"),
        k("shutil.copy", PATH, Any, PY, "a file path"),
        k("shutil.copyfile", PATH, Any, PY, "a file path"),
        k("shutil.move", PATH, Any, PY, "a file path"),
        k("shutil.rmtree", PATH, Pos(0, None), PY, "a directory path"),
        k("pathlib.Path", PATH, Pos(0, None), PY, "a file path"),
        k("Path", PATH, Pos(0, None), PY, "a file path"),
        k("send_file", PATH, Pos(0, None), PY, "a file path"),
        k("flask.send_file", PATH, Pos(0, None), PY, "a file path"),
        k("FileResponse", PATH, Pos(0, None), PY, "a file path"),
        k("fs.readFile", PATH, Pos(0, None), JS, "a file path"),
        k("fs.readFileSync", PATH, Pos(0, None), JS, "a file path"),
        k("fs.writeFile", PATH, Pos(0, None), JS, "a file path"),
        k("fs.writeFileSync", PATH, Pos(0, None), JS, "a file path"),
        k("fs.createReadStream", PATH, Pos(0, None), JS, "a file path"),
        k(
            "fs.createWriteStream",
            PATH,
            Pos(0, None),
            JS,
            "a file path",
        ),
        k("fs.unlink", PATH, Pos(0, None), JS, "a file path"),
        k("fs.unlinkSync", PATH, Pos(0, None), JS, "a file path"),
        k("fs.readdir", PATH, Pos(0, None), JS, "a directory path"),
        k(
            "fs.promises.readFile",
            PATH,
            Pos(0, None),
            JS,
            "a file path",
        ),
        k(".sendFile", PATH, Pos(0, None), JS, "a file path"),
        k(".download", PATH, Pos(0, None), JS, "a file path"),
        k("os.Open", PATH, Pos(0, None), GO, "a file path"),
        k("os.OpenFile", PATH, Pos(0, None), GO, "a file path"),
        k("os.ReadFile", PATH, Pos(0, None), GO, "a file path"),
        k("os.WriteFile", PATH, Pos(0, None), GO, "a file path"),
        k("os.Create", PATH, Pos(0, None), GO, "a file path"),
        k("os.Remove", PATH, Pos(0, None), GO, "a file path"),
        k("os.RemoveAll", PATH, Pos(0, None), GO, "a file path"),
        k("ioutil.ReadFile", PATH, Pos(0, None), GO, "a file path"),
        k("ioutil.WriteFile", PATH, Pos(0, None), GO, "a file path"),
        k("http.ServeFile", PATH, Pos(2, None), GO, "a file path"),
        k(".File", PATH, Pos(0, None), GO, "a file path"),
        k("new File", PATH, Any, JAVA, "a file path"),
        k("new java.io.File", PATH, Any, JAVA, "a file path"),
        k(
            "new FileInputStream",
            PATH,
            Pos(0, None),
            JAVA,
            "a file path",
        ),
        k(
            "new FileOutputStream",
            PATH,
            Pos(0, None),
            JAVA,
            "a file path",
        ),
        k("new FileReader", PATH, Pos(0, None), JAVA, "a file path"),
        k("new FileWriter", PATH, Pos(0, None), JAVA, "a file path"),
        k(
            "new RandomAccessFile",
            PATH,
            Pos(0, None),
            JAVA,
            "a file path",
        ),
        k("Paths.get", PATH, Any, JAVA, "a file path"),
        k("Path.of", PATH, Any, JAVA, "a file path"),
        k(
            "Files.newInputStream",
            PATH,
            Pos(0, None),
            JAVA,
            "a file path",
        ),
        k(
            "Files.readAllBytes",
            PATH,
            Pos(0, None),
            JAVA,
            "a file path",
        ),
        k(
            "Files.readAllLines",
            PATH,
            Pos(0, None),
            JAVA,
            "a file path",
        ),
        k("Files.delete", PATH, Pos(0, None), JAVA, "a file path"),
        // ---- SSRF
        k(
            "requests.get",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "requests.post",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "requests.put",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "requests.delete",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "requests.head",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "requests.patch",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "requests.request",
            SSRF,
            Pos(1, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "urllib.request.urlopen",
            SSRF,
            Pos(0, None),
            PY,
            "an outgoing request URL",
        ),
        k("urlopen", SSRF, Pos(0, None), PY, "an outgoing request URL"),
        k(
            "urllib.request.Request",
            SSRF,
            Pos(0, None),
            PY,
            "an outgoing request URL",
        ),
        k(
            "httpx.get",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k(
            "httpx.post",
            SSRF,
            Pos(0, Some("url")),
            PY,
            "an outgoing request URL",
        ),
        k("fetch", SSRF, Pos(0, None), JS, "an outgoing request URL"),
        k("axios", SSRF, Pos(0, None), JS, "an outgoing request URL"),
        k(
            "axios.get",
            SSRF,
            Pos(0, None),
            JS,
            "an outgoing request URL",
        ),
        k(
            "axios.post",
            SSRF,
            Pos(0, None),
            JS,
            "an outgoing request URL",
        ),
        k(
            "http.get",
            SSRF,
            Pos(0, None),
            JS,
            "an outgoing request URL",
        ),
        k(
            "https.get",
            SSRF,
            Pos(0, None),
            JS,
            "an outgoing request URL",
        ),
        k(
            "http.request",
            SSRF,
            Pos(0, None),
            JS,
            "an outgoing request URL",
        ),
        k(
            "https.request",
            SSRF,
            Pos(0, None),
            JS,
            "an outgoing request URL",
        ),
        k("got", SSRF, Pos(0, None), JS, "an outgoing request URL"),
        k("needle", SSRF, Pos(1, None), JS, "an outgoing request URL"),
        k(
            "http.Get",
            SSRF,
            Pos(0, None),
            GO,
            "an outgoing request URL",
        ),
        k(
            "http.Post",
            SSRF,
            Pos(0, None),
            GO,
            "an outgoing request URL",
        ),
        k(
            "http.Head",
            SSRF,
            Pos(0, None),
            GO,
            "an outgoing request URL",
        ),
        k(
            "http.NewRequest",
            SSRF,
            Pos(1, None),
            GO,
            "an outgoing request URL",
        ),
        k(
            "http.NewRequestWithContext",
            SSRF,
            Pos(2, None),
            GO,
            "an outgoing request URL",
        ),
        k(
            ".openConnection",
            SSRF,
            Receiver,
            JAVA,
            "an outgoing connection",
        ),
        k(
            ".openStream",
            SSRF,
            Receiver,
            JAVA,
            "an outgoing connection",
        ),
        k(
            ".getForObject",
            SSRF,
            Pos(0, None),
            JAVA,
            "an outgoing request URL",
        ),
        k(
            ".getForEntity",
            SSRF,
            Pos(0, None),
            JAVA,
            "an outgoing request URL",
        ),
        k(
            ".postForObject",
            SSRF,
            Pos(0, None),
            JAVA,
            "an outgoing request URL",
        ),
        k(
            ".exchange",
            SSRF,
            Pos(0, None),
            JAVA,
            "an outgoing request URL",
        ),
        k(
            "URI.create",
            SSRF,
            Pos(0, None),
            JAVA,
            "an outgoing request URL",
        ),
        // ---- XSS
        k("make_response", XSS, Pos(0, None), PY, "an HTML response"),
        k(
            "flask.make_response",
            XSS,
            Pos(0, None),
            PY,
            "an HTML response",
        ),
        k(
            "render_template_string",
            XSS,
            Pos(0, None),
            PY,
            "a template source",
        ),
        k(
            "Markup",
            XSS,
            Pos(0, None),
            PY,
            "Markup (marks text as safe HTML)",
        ),
        k(
            "markupsafe.Markup",
            XSS,
            Pos(0, None),
            PY,
            "Markup (marks text as safe HTML)",
        ),
        k("mark_safe", XSS, Pos(0, None), PY, "mark_safe"),
        k(
            "HttpResponse",
            XSS,
            Pos(0, Some("content")),
            PY,
            "an HTML response",
        ),
        k(
            "HTMLResponse",
            XSS,
            Pos(0, Some("content")),
            PY,
            "an HTML response",
        ),
        k(
            "jinja2.Template",
            XSS,
            Pos(0, None),
            PY,
            "a template source",
        ),
        k("@response.send", XSS, Pos(0, None), JS, "an HTTP response"),
        k("@response.write", XSS, Pos(0, None), JS, "an HTTP response"),
        k("@response.end", XSS, Pos(0, None), JS, "an HTTP response"),
        k("document.write", XSS, Any, JS, "document.write"),
        k("document.writeln", XSS, Any, JS, "document.write"),
        k(
            ".insertAdjacentHTML",
            XSS,
            Pos(1, None),
            JS,
            "insertAdjacentHTML",
        ),
        k(
            "<jsx-attr>.dangerouslySetInnerHTML",
            XSS,
            Any,
            JS,
            "dangerouslySetInnerHTML",
        ),
        k("@writer.Write", XSS, Pos(0, None), GO, "an HTTP response"),
        k("fmt.Fprintf", XSS, Any, GO, "an HTTP response"),
        k("fmt.Fprint", XSS, Any, GO, "an HTTP response"),
        k("fmt.Fprintln", XSS, Any, GO, "an HTTP response"),
        k("io.WriteString", XSS, Pos(1, None), GO, "an HTTP response"),
        k(
            "template.HTML",
            XSS,
            Pos(0, None),
            GO,
            "template.HTML (marks text as safe HTML)",
        ),
        k("template.JS", XSS, Pos(0, None), GO, "template.JS"),
        k("@writer.print", XSS, Any, JAVA, "an HTTP response"),
        k("@writer.println", XSS, Any, JAVA, "an HTTP response"),
        k("@writer.write", XSS, Any, JAVA, "an HTTP response"),
        k("@writer.format", XSS, Any, JAVA, "an HTTP response"),
        k("@writer.printf", XSS, Any, JAVA, "an HTTP response"),
        k("@writer.append", XSS, Any, JAVA, "an HTTP response"),
        // ---- deserialisation
        k("pickle.loads", DESER, Pos(0, None), PY, "pickle"),
        k("pickle.load", DESER, Pos(0, None), PY, "pickle"),
        k("cPickle.loads", DESER, Pos(0, None), PY, "pickle"),
        k("dill.loads", DESER, Pos(0, None), PY, "dill"),
        k("marshal.loads", DESER, Pos(0, None), PY, "marshal"),
        k("jsonpickle.decode", DESER, Pos(0, None), PY, "jsonpickle"),
        k("shelve.open", DESER, Pos(0, None), PY, "shelve"),
        k("yaml.load", DESER, Pos(0, None), PY, "yaml.load"),
        k(
            "yaml.unsafe_load",
            DESER,
            Pos(0, None),
            PY,
            "yaml.unsafe_load",
        ),
        k("yaml.full_load", DESER, Pos(0, None), PY, "yaml.full_load"),
        k("pandas.read_pickle", DESER, Pos(0, None), PY, "read_pickle"),
        k("torch.load", DESER, Pos(0, None), PY, "torch.load"),
        k(
            "serialize.unserialize",
            DESER,
            Pos(0, None),
            JS,
            "node-serialize",
        ),
        k("unserialize", DESER, Pos(0, None), JS, "node-serialize"),
        k(
            ".readObject",
            DESER,
            Receiver,
            JAVA,
            "ObjectInputStream.readObject",
        ),
        k(
            ".readUnshared",
            DESER,
            Receiver,
            JAVA,
            "ObjectInputStream.readUnshared",
        ),
        k("new XMLDecoder", DESER, Pos(0, None), JAVA, "XMLDecoder"),
        k(".fromXML", DESER, Pos(0, None), JAVA, "XStream"),
        // ---- LDAP
        k("@ldap.search", LDAP, Any, ANY, "an LDAP search"),
        k("@ldap.search_s", LDAP, Any, PY, "an LDAP search"),
        k("@ldap.search_st", LDAP, Any, PY, "an LDAP search"),
        k("@ldap.search_ext", LDAP, Any, PY, "an LDAP search"),
        k("@ldap.search_ext_s", LDAP, Any, PY, "an LDAP search"),
        k("ldap.NewSearchRequest", LDAP, Any, GO, "an LDAP search"),
        k(".search_s", LDAP, Any, PY, "an LDAP search"),
        k(
            ".search",
            LDAP,
            Any,
            &[Lang::Python, Lang::JavaScript, Lang::TypeScript, Lang::Tsx],
            "an LDAP search",
        ),
        // ---- XPath
        k(".xpath", XPATH, Pos(0, None), PY, "an XPath expression"),
        k(
            "etree.XPath",
            XPATH,
            Pos(0, None),
            PY,
            "an XPath expression",
        ),
        k(
            "lxml.etree.XPath",
            XPATH,
            Pos(0, None),
            PY,
            "an XPath expression",
        ),
        k(
            "@xpath.compile",
            XPATH,
            Pos(0, None),
            JAVA,
            "an XPath expression",
        ),
        k(
            "@xpath.evaluate",
            XPATH,
            Pos(0, None),
            JAVA,
            "an XPath expression",
        ),
        k(
            "xpath.select",
            XPATH,
            Pos(0, None),
            JS,
            "an XPath expression",
        ),
        k(
            "document.evaluate",
            XPATH,
            Pos(0, None),
            JS,
            "an XPath expression",
        ),
        // ---- open redirect
        k("redirect", REDIRECT, Pos(0, None), PY, "a redirect"),
        k("flask.redirect", REDIRECT, Pos(0, None), PY, "a redirect"),
        k(
            "HttpResponseRedirect",
            REDIRECT,
            Pos(0, None),
            PY,
            "a redirect",
        ),
        k(
            "RedirectResponse",
            REDIRECT,
            Pos(0, Some("url")),
            PY,
            "a redirect",
        ),
        k(".redirect", REDIRECT, Any, JS, "a redirect"),
        k("http.Redirect", REDIRECT, Pos(2, None), GO, "a redirect"),
        k(".Redirect", REDIRECT, Pos(1, None), GO, "a redirect"),
        k(".sendRedirect", REDIRECT, Pos(0, None), JAVA, "a redirect"),
        // ---- trust boundary
        k(".setAttribute", TRUST, Any, JAVA, "the session"),
        k(".putValue", TRUST, Any, JAVA, "the session"),
    ]
}

pub fn sanitizers() -> Vec<SanitizerSpec> {
    let s = |p: &str, cleans, langs| SanitizerSpec {
        pattern: p.to_string(),
        cleans,
        langs,
    };
    vec![
        // numeric conversions clean everything
        s("int", ALL, PY),
        s("float", ALL, PY),
        s("bool", ALL, PY),
        s("len", ALL, PY),
        s("uuid.UUID", ALL, PY),
        s("UUID", ALL, PY),
        s("<numeric-cast>", ALL, ANY),
        s("Integer.parseInt", ALL, JAVA),
        s("Integer.valueOf", ALL, JAVA),
        s("Long.parseLong", ALL, JAVA),
        s("Long.valueOf", ALL, JAVA),
        s("Double.parseDouble", ALL, JAVA),
        s("Boolean.parseBoolean", ALL, JAVA),
        s("UUID.fromString", ALL, JAVA),
        s("strconv.Atoi", ALL, GO),
        s("strconv.ParseInt", ALL, GO),
        s("strconv.ParseFloat", ALL, GO),
        s("strconv.ParseBool", ALL, GO),
        s("uuid.Parse", ALL, GO),
        s("parseInt", ALL, JS),
        s("parseFloat", ALL, JS),
        s("Number", ALL, JS),
        s("Boolean", ALL, JS),
        // HTML
        s("html.escape", XSS, PY),
        s("cgi.escape", XSS, PY),
        s("markupsafe.escape", XSS, PY),
        s("flask.escape", XSS, PY),
        s("escape", XSS, PY),
        s("django.utils.html.escape", XSS, PY),
        s("conditional_escape", XSS, PY),
        s("bleach.clean", XSS, PY),
        s("jsonify", XSS, PY),
        s("escape_for_html", XSS, PY),
        s("render_template", XSS, PY),
        s("flask.render_template", XSS, PY),
        s("django.shortcuts.render", XSS, PY),
        s("render", XSS, PY),
        s("render_to_string", XSS, PY),
        s("TemplateResponse", XSS, PY),
        s("escape-html", XSS, JS),
        s("lodash.escape", XSS, JS),
        s("_.escape", XSS, JS),
        s("flask.jsonify", XSS, PY),
        s("JsonResponse", XSS, PY),
        s("escapeHtml", XSS, JS),
        s("escape", XSS, JS),
        s("he.encode", XSS, JS),
        s("DOMPurify.sanitize", XSS, JS),
        s("sanitizeHtml", XSS, JS),
        s("validator.escape", XSS, JS),
        // URL-component encoders: the result cannot carry a scheme or a host
        // (`:` and `/` are encoded), so it neither chooses where a request
        // goes nor where a redirect leads.
        s(
            "encodeURIComponent",
            XSS | CMD | SQL | PATH | SSRF | REDIRECT,
            JS,
        ),
        s("parse.quote", SSRF | REDIRECT, PY),
        s("parse.quote_plus", SSRF | REDIRECT | XSS, PY),
        s("parse.urlencode", SSRF | REDIRECT | XSS, PY),
        s("urllib.quote", SSRF | REDIRECT, PY),
        s("urllib.quote_plus", SSRF | REDIRECT | XSS, PY),
        s("url.PathEscape", XSS | PATH | CMD | SSRF | REDIRECT, GO),
        s("URLEncoder.encode", XSS | SSRF | REDIRECT, JAVA),
        s(".json", XSS, JS),
        s("html.EscapeString", XSS, GO),
        s("template.HTMLEscapeString", XSS, GO),
        s("url.QueryEscape", XSS | PATH | CMD | SSRF | REDIRECT, GO),
        s(".encodeForHTML", XSS, JAVA),
        s(".encodeForHTMLAttribute", XSS, JAVA),
        s(".encodeForJavaScript", XSS, JAVA),
        s("StringEscapeUtils.escapeHtml4", XSS, JAVA),
        s("StringEscapeUtils.escapeHtml", XSS, JAVA),
        s("HtmlUtils.htmlEscape", XSS, JAVA),
        s("Encode.forHtml", XSS, JAVA),
        s("Encode.forHtmlContent", XSS, JAVA),
        s("Encode.forHtmlAttribute", XSS, JAVA),
        s(".encodeForURL", XSS | REDIRECT | SSRF | PATH, JAVA),
        // commands
        s("shlex.quote", CMD, PY),
        s("pipes.quote", CMD, PY),
        s("shellescape", CMD, JS),
        s("shell-quote.quote", CMD, JS),
        s(".encodeForOS", CMD, JAVA),
        // SQL
        s(".encodeForSQL", SQL, JAVA),
        s("escape_string", SQL, PY),
        s("mysql.escape", SQL, JS),
        s(".escape", SQL, JS),
        s("sqlstring.escape", SQL, JS),
        // paths
        s("os.path.basename", PATH, PY),
        s("secure_filename", PATH, PY),
        s("werkzeug.utils.secure_filename", PATH, PY),
        s("safe_join", PATH, PY),
        s("werkzeug.security.safe_join", PATH, PY),
        s("send_from_directory", PATH | XSS, PY),
        s("path.basename", PATH, JS),
        s("sanitize-filename", PATH, JS),
        s("filepath.Base", PATH, GO),
        s("FilenameUtils.getName", PATH, JAVA),
        s(".getName", PATH, JAVA),
        // LDAP / XPath
        s("escape_filter_chars", LDAP, PY),
        s("ldap.filter.escape_filter_chars", LDAP, PY),
        s("ldap3.utils.conv.escape_filter_chars", LDAP, PY),
        s("escape_rdn", LDAP, PY),
        s("ldap.EscapeFilter", LDAP, GO),
        s(".encodeForLDAP", LDAP, JAVA),
        s(".encodeForDN", LDAP, JAVA),
        s("LdapEncoder.filterEncode", LDAP, JAVA),
        s(".encodeForXPath", XPATH, JAVA),
        // redirects
        s("url_for", REDIRECT | SSRF | XSS, PY),
    ]
}

/// Boolean checks that clean their argument in the branch where they hold.
pub const GUARD_CALLS: &[(&str, Kinds)] = &[
    ("url_has_allowed_host_and_scheme", REDIRECT | SSRF),
    ("is_safe_url", REDIRECT | SSRF),
    ("filepath.IsLocal", PATH),
    ("re.match", ALL),
    ("re.fullmatch", ALL),
    ("Pattern.matches", ALL),
    ("validator.isURL", 0),
    ("validators.url", 0),
    (".isdigit", ALL),
    (".isnumeric", ALL),
    (".isdecimal", ALL),
    (".isalnum", ALL),
    (".isalpha", ALL),
    (".isidentifier", ALL),
    (".matches", ALL),
    (".match", ALL),
    (".fullmatch", ALL),
    ("isValid", ALL),
];

/// Methods whose result carries none of the receiver's taint (booleans,
/// numbers, lengths).
pub const CLEAN_RESULT_METHODS: &[&str] = &[
    "equals",
    "equalsIgnoreCase",
    "length",
    "size",
    "isEmpty",
    "contains",
    "containsKey",
    "startsWith",
    "endsWith",
    "startswith",
    "endswith",
    "indexOf",
    "lastIndexOf",
    "hashCode",
    "compareTo",
    "isdigit",
    "isalnum",
    "isalpha",
    "isnumeric",
    "count",
    "find",
    "index",
    "matches",
    "hasNext",
    "hasMoreElements",
    "test",
    "includes",
    "has",
    "exists",
    "isFile",
    "isDirectory",
    "getName",
    "getMaxAge",
    "getSecure",
    "getVersion",
    "Len",
    "HasPrefix",
    "HasSuffix",
    "Contains",
    "close",
    "executeUpdate",
    "getMethod",
    "getContentLength",
    "getAuthType",
    "getRemoteAddr",
    "getLocale",
    "getServerPort",
    "isSecure",
    "getScheme",
    "getContentType",
    "getCharacterEncoding",
    "getProtocol",
    "getServerName",
    "Method",
    "method",
    "is_secure",
    "is_json",
    "scheme",
    "content_length",
    "content_type",
    "is_ajax",
    "user",
    "remote_addr",
    "mimetype",
    "getSession",
    "session",
    "setHeader",
];

/// Calls that do not return (the path ends there).
pub const NORETURN_CALLS: &[&str] = &[
    "abort",
    "flask.abort",
    "sys.exit",
    "exit",
    "os.Exit",
    "panic",
    "log.Fatal",
    "log.Fatalf",
    "log.Panic",
    "process.exit",
    "System.exit",
];

/// Path normalisers: `startswith(base)` on their result cleans path taint.
pub const PATH_NORMALISERS: &[&str] = &[
    "os.path.normpath",
    "os.path.realpath",
    "os.path.abspath",
    ".resolve",
    ".normalize",
    ".getCanonicalPath",
    ".toRealPath",
    "path.resolve",
    "path.normalize",
    "filepath.Clean",
    "filepath.Abs",
    "filepath.Rel",
    ".absolute",
    "Path.resolve",
    "realpath",
    "normpath",
];

/// Prefix checks used with [`PATH_NORMALISERS`].
pub const PREFIX_CHECKS: &[&str] = &[
    "startswith",
    "startsWith",
    "strings.HasPrefix",
    "is_relative_to",
    "HasPrefix",
];

/// Methods that add their argument to the receiver (collections, builders).
pub const MUTATORS: &[&str] = &[
    "append",
    "add",
    "push",
    "put",
    "insert",
    "extend",
    "update",
    "addAll",
    "putAll",
    "addFirst",
    "addLast",
    "offer",
    "unshift",
    "setdefault",
    "set",
    "write",
    "concat",
    "putIfAbsent",
    "appendChild",
    "prepend",
    "Set",
    "Add",
];

/// `flask`-style handler decorators and Spring mappings: the function is an
/// HTTP handler.
pub const HANDLER_DECORATORS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "api_view",
    "websocket",
    "RequestMapping",
    "GetMapping",
    "PostMapping",
    "PutMapping",
    "DeleteMapping",
    "PatchMapping",
];

/// Parameter marks that make a parameter user input.
pub const SOURCE_PARAM_MARKS: &[&str] = &[
    "RequestParam",
    "PathVariable",
    "RequestBody",
    "RequestHeader",
    "CookieValue",
    "ModelAttribute",
    "RequestPart",
    "MatrixVariable",
    "QueryParam",
    "PathParam",
    "FormParam",
    "HeaderParam",
    "CookieParam",
    "Query",
    "Path",
    "Body",
    "Header",
    "Cookie",
    "Form",
    "File",
    "fastapi.Query",
    "fastapi.Path",
    "fastapi.Body",
    "fastapi.Header",
    "fastapi.Cookie",
    "fastapi.Form",
];

/// Parameter types that cannot carry an injection.
pub const SAFE_PARAM_TYPES: &[&str] = &[
    "int",
    "float",
    "bool",
    "long",
    "Integer",
    "Long",
    "Boolean",
    "double",
    "Double",
    "UUID",
    "uuid.UUID",
    "short",
    "byte",
    "date",
    "datetime",
    "int64",
    "int32",
    "uint",
];

/// Does `path` (a dotted callee, import aliases resolved) match `pattern`?
/// See the module documentation for the pattern forms. Kind patterns
/// (`@kind.m`) are matched by the caller.
pub fn path_matches(path: &str, is_new: bool, pattern: &str) -> bool {
    if let Some(ctor) = pattern.strip_prefix("new ") {
        return is_new && ends_at_segment(path, ctor);
    }
    if let Some(m) = pattern.strip_prefix('.') {
        // a method on any receiver
        return !is_new && path.len() > m.len() && ends_at_segment(path, m) && path.contains('.');
    }
    ends_at_segment(path, pattern)
}

fn ends_at_segment(path: &str, pat: &str) -> bool {
    if path == pat {
        return true;
    }
    path.len() > pat.len()
        && path.ends_with(pat)
        && matches!(path.as_bytes()[path.len() - pat.len() - 1], b'.' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_at_segment_boundaries() {
        assert!(path_matches("os.system", false, "os.system"));
        assert!(path_matches("java.io.File", true, "new File"));
        assert!(!path_matches("java.io.RandomAccessFile", true, "new File"));
        assert!(!path_matches("java.io.File", false, "new File"));
        assert!(path_matches("cursor.execute", false, ".execute"));
        assert!(!path_matches("execute", false, ".execute"));
        assert!(!path_matches("myos.system", false, "os.system"));
        assert!(path_matches("math/rand.Intn", false, "rand.Intn"));
    }

    #[test]
    fn kind_names_round_trip() {
        assert_eq!(parse_kinds("sql,command"), Some(SQL | CMD));
        assert_eq!(parse_kinds("nope"), None);
        assert_eq!(kind_name(XSS), "xss");
    }
}
