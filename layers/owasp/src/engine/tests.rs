use super::*;

fn run(path: &str, src: &str) -> Analysis {
    let lang = Lang::from_path(path).expect("lang");
    analyze(
        path,
        lang,
        src,
        &Tables::builtin(),
        &Limits::default(),
        &|| false,
    )
    .expect("analyze")
}

fn kinds(a: &Analysis) -> Vec<&'static str> {
    a.hits.iter().map(|h| tables::kind_name(h.kind)).collect()
}

#[test]
fn python_flask_sqli_and_command() {
    let a = run(
        "app.py",
        r#"
from flask import request
import os, sqlite3
@app.route("/u")
def user():
    name = request.args.get("name")
    q = "SELECT * FROM users WHERE name = '" + name + "'"
    cur = sqlite3.connect("x").cursor()
    cur.execute(q)
    os.system(f"echo {name}")
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
"#,
    );
    assert_eq!(kinds(&a), vec!["sql", "command"]);
    let t = &a.hits[0].trace;
    assert!(
        t.first().is_some_and(|s| s.message.starts_with("source")),
        "{t:?}"
    );
    assert!(t.last().is_some_and(|s| s.message.starts_with("sink")));
}

#[test]
fn python_constant_folding_prunes_dead_branches() {
    let a = run(
        "app.py",
        r#"
from flask import request
import os
def f():
    param = request.args.get("p")
    num = 106
    bar = param if 7 * 18 + num > 200 else "safe"
    os.system(bar)
def g():
    param = request.args.get("p")
    bar = "safe" if 7 * 18 + 106 > 200 else param
    os.system(bar)
def h():
    param = request.args.get("p")
    k = 9
    if k * 3 > 100:
        v = param
    else:
        v = "ok"
    os.system(v)
"#,
    );
    assert_eq!(a.hits.len(), 1, "{:?}", a.hits);
    assert_eq!(a.hits[0].span.start_line, 8);
}

#[test]
fn python_collections_with_constant_keys() {
    let a = run(
        "app.py",
        r#"
from flask import request
import os
def f():
    param = request.args.get("p")
    m = {}
    m["keyA"] = "a"
    m["keyB"] = param
    os.system(m["keyA"])
    os.system(m["keyB"])
def g():
    param = request.args.get("p")
    l = ["safe", param, "moresafe"]
    l.pop(0)
    os.system(l[0])
    os.system(l[1])
"#,
    );
    let lines: Vec<u32> = a.hits.iter().map(|h| h.span.start_line).collect();
    assert_eq!(lines, vec![10, 15]);
}

#[test]
fn sanitisers_are_per_label_and_guards_clean() {
    let a = run(
        "app.py",
        r#"
from flask import request
import os, html, shlex
ALLOWED = {"a", "b"}
def f():
    p = request.args.get("p")
    os.system("ls " + html.escape(p))
    os.system("ls " + shlex.quote(p))
    os.system("ls " + str(int(p)))
    if p in ALLOWED:
        os.system("ls " + p)
    if p != "c":
        return
    os.system("ls " + p)
"#,
    );
    let lines: Vec<u32> = a.hits.iter().map(|h| h.span.start_line).collect();
    assert_eq!(lines, vec![7]);
}

#[test]
fn helper_summaries_carry_taint() {
    let a = run(
        "app.py",
        r#"
from flask import request
import os
def wrap(x):
    return "echo " + x
def run(cmd):
    os.system(cmd)
def safe(x):
    return "fixed"
@app.route("/")
def f():
    p = request.args.get("p")
    os.system(wrap(p))
    run(p)
    os.system(safe(p))
"#,
    );
    let lines: Vec<u32> = a.hits.iter().map(|h| h.span.start_line).collect();
    assert_eq!(lines, vec![7, 13], "{:?}", a.hits);
}

#[test]
fn java_benchmark_shapes() {
    let a = run(
        "T.java",
        r#"
public class T extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = request.getParameter("x");
    String bar;
    int num = 106;
    bar = (7 * 18) + num > 200 ? "This_should_always_happen" : param;
    Runtime.getRuntime().exec("echo " + bar);
    java.util.HashMap<String, Object> map = new java.util.HashMap<String, Object>();
    map.put("keyA", "a_Value");
    map.put("keyB", param);
    String b2 = (String) map.get("keyB");
    java.sql.Statement st = conn.createStatement();
    st.execute("SELECT * FROM u WHERE n='" + b2 + "'");
    String guess = "ABC";
    char t = guess.charAt(1);
    String b3;
    switch (t) {
      case 'A': b3 = param; break;
      case 'B': b3 = "bob"; break;
      default: b3 = param; break;
    }
    response.getWriter().println(b3);
    StringBuilder sb = new StringBuilder(param);
    String b4 = sb.append("_safe").toString();
    new java.io.File(b4);
  }
}
"#,
    );
    let got: Vec<(u32, &str)> = a
        .hits
        .iter()
        .map(|h| (h.span.start_line, tables::kind_name(h.kind)))
        .collect();
    assert_eq!(got, vec![(14, "sql"), (26, "path")], "{:?}", a.hits);
}

#[test]
fn javascript_express_and_jsx() {
    let a = run(
        "app.jsx",
        r#"
const cp = require('child_process');
app.get('/x', (req, res) => {
  const q = req.query.q;
  cp.exec('ls ' + q);
  res.send(`<p>${q}</p>`);
  res.json({ q });
  return <div dangerouslySetInnerHTML={{ __html: q }}>{q}</div>;
});
"#,
    );
    let got: Vec<(u32, &str)> = a
        .hits
        .iter()
        .map(|h| (h.span.start_line, tables::kind_name(h.kind)))
        .collect();
    assert_eq!(
        got,
        vec![(5, "command"), (6, "xss"), (8, "xss")],
        "{:?}",
        a.hits
    );
}

#[test]
fn go_net_http() {
    let a = run(
        "main.go",
        r#"
package main
import ("net/http"; "os/exec"; "database/sql"; "fmt")
func h(w http.ResponseWriter, r *http.Request) {
    name := r.URL.Query().Get("name")
    exec.Command("sh", "-c", "echo " + name).Run()
    exec.Command("echo", name).Run()
    db.Query(fmt.Sprintf("SELECT * FROM t WHERE n='%s'", name))
    db.Query("SELECT * FROM t WHERE n=?", name)
}
"#,
    );
    let got: Vec<(u32, &str)> = a
        .hits
        .iter()
        .map(|h| (h.span.start_line, tables::kind_name(h.kind)))
        .collect();
    assert_eq!(got, vec![(6, "command"), (8, "sql")], "{:?}", a.hits);
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut src = String::from("x = ");
    for _ in 0..10_000 {
        src.push('(');
    }
    src.push('1');
    for _ in 0..10_000 {
        src.push(')');
    }
    src.push('\n');
    let r = analyze(
        "d.py",
        Lang::Python,
        &src,
        &Tables::builtin(),
        &Limits::default(),
        &|| false,
    );
    assert!(matches!(r, Err(EngineError::TooDeep { .. })), "{r:?}");
}

#[test]
fn ts_is_not_parsed_as_tsx() {
    assert_eq!(Lang::from_path("a.ts"), Some(Lang::TypeScript));
    assert_eq!(Lang::from_path("a.tsx"), Some(Lang::Tsx));
    let a = run(
        "a.ts",
        "const x = <string>y;\nfunction f(req) { eval(req.body.code); }\n",
    );
    assert!(!a.had_errors);
    assert_eq!(kinds(&a), vec!["code"]);
}

#[test]
fn python_benchmark_shapes() {
    let a = run(
        "b.py",
        r#"
from flask import request
import configparser, subprocess, platform

def init(app):
    @app.route('/benchmark/cmdi-00/BenchmarkTest00001', methods=['POST'])
    def BenchmarkTest00001_post():
        param = request.headers.get("BenchmarkTest00001")
        if not param:
            param = ""
        conf = configparser.ConfigParser()
        conf.add_section('s')
        conf.set('s', 'keyA', 'a-Value')
        conf.set('s', 'keyB', param)
        bar = conf.get('s', 'keyA')
        bar2 = conf.get('s', 'keyB')
        argList = []
        if platform.system() == "Windows":
            argList.append("cmd.exe")
            argList.append("/c")
        else:
            argList.append("sh")
            argList.append("-c")
        argList.append(f"echo {bar}")
        subprocess.run(argList, capture_output=True)
        possible = "ABC"
        guess = possible[2]
        match guess:
            case "A":
                bar3 = param
            case "C" | "D":
                bar3 = param
            case _:
                bar3 = "bob"
        subprocess.run(f"echo {bar3}", shell=True)
        subprocess.run(f"echo {bar2}", shell=True)
        return "ok"
"#,
    );
    let lines: Vec<u32> = a.hits.iter().map(|h| h.span.start_line).collect();
    assert_eq!(lines, vec![35, 36], "{:?}", a.hits);
}

#[test]
fn java_inner_class_helper_summary() {
    let a = run(
        "T.java",
        r#"
public class T extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = request.getParameter("x");
    String bar = new Test().doSomething(request, param);
    Runtime.getRuntime().exec("echo " + bar);
    String bar2 = new Test().passThrough(param);
    Runtime.getRuntime().exec("echo " + bar2);
  }
  private class Test {
    public String doSomething(HttpServletRequest request, String param) throws Exception {
      String bar = "safe!";
      java.util.HashMap<String, Object> map = new java.util.HashMap<String, Object>();
      map.put("keyB", param);
      bar = (String) map.get("keyA");
      return bar;
    }
    public String passThrough(String p) { return p + "x"; }
  }
}
"#,
    );
    let lines: Vec<u32> = a.hits.iter().map(|h| h.span.start_line).collect();
    assert_eq!(lines, vec![8], "{:?}", a.hits);
}

#[test]
fn parameters_are_weak_sources_and_real_sources_win() {
    let on = Limits {
        parameters_as_sources: true,
        ..Limits::default()
    };
    let a = analyze(
        "p.py",
        Lang::Python,
        r#"
import os
from flask import request
def run_it(cmd: str, n: int):
    os.system(cmd)
    os.system("ls " + str(n))
    os.system("ls")
def both(cmd):
    os.system(cmd + request.args["x"])
"#,
        &Tables::builtin(),
        &on,
        &|| false,
    )
    .unwrap();
    let got: Vec<(u32, Option<usize>)> = a
        .hits
        .iter()
        .map(|h| (h.span.start_line, h.param))
        .collect();
    assert_eq!(
        got,
        vec![(5, Some(interp::WEAK_PARAM)), (9, None)],
        "{:?}",
        a.hits
    );
    let off = Limits {
        parameters_as_sources: false,
        ..Limits::default()
    };
    let b = analyze(
        "p.py",
        Lang::Python,
        "import os\ndef f(cmd):\n    os.system(cmd)\n",
        &Tables::builtin(),
        &off,
        &|| false,
    )
    .unwrap();
    assert!(b.hits.is_empty());
}

#[test]
fn constant_prefixes_bound_redirects_and_fetches() {
    let a = run(
        "r.py",
        r#"
from flask import request, redirect
import requests
@app.route("/")
def f():
    t = request.args["t"]
    requests.get("https://api.example.com/users/" + t)
    requests.get(t)
    redirect("/home?next=" + t)
    return redirect("//" + t)
"#,
    );
    let got: Vec<(u32, &str, bool)> = a
        .hits
        .iter()
        .map(|h| {
            (
                h.span.start_line,
                tables::kind_name(h.kind),
                h.param.is_some(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (7, "ssrf", true),
            (8, "ssrf", false),
            (10, "redirect", false)
        ],
        "{:?}",
        a.hits
    );
}
