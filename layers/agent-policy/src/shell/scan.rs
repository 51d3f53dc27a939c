//! The conservative fallback for input the parser could not fully read: split on
//! whitespace and shell operators, drop quote characters, and judge every window that
//! starts at a program the packs know. Data words may be judged as code here; that is
//! the price of not trusting a partial parse.

use super::packs;
use super::parse::Stdin;
use super::word::{program_name, Word};
use super::Engine;

/// Longest argv a window may have.
const WINDOW: usize = 48;
/// Windows judged per scan; a 10 MB command stays linear.
const MAX_WINDOWS: usize = 4096;

pub fn scan(e: &mut Engine<'_>, src: &str, _depth: usize) {
    let tokens = tokenize(src);
    let mut windows = 0;
    let mut i = 0;
    while i < tokens.len() && windows < MAX_WINDOWS {
        let Token::Word(t) = &tokens[i] else {
            i += 1;
            continue;
        };
        let name = program_name(t);
        if packs::is_known_program(name) {
            let mut argv = Vec::new();
            let mut j = i;
            while j < tokens.len() && argv.len() < WINDOW {
                match &tokens[j] {
                    Token::Word(w) => argv.push(Word::lit(w.clone())),
                    Token::Sep => break,
                }
                j += 1;
            }
            windows += 1;
            e.segment_override(&argv);
            // Payloads in a window are not opened (depth past the limit): a window is
            // judged by its own words only.
            e.argv(argv, Vec::new(), &Stdin::Inherited, super::MAX_DEPTH + 1);
        }
        i += 1;
    }
    if windows >= MAX_WINDOWS {
        e.note("token scan stopped at its window limit");
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Sep,
}

fn tokenize(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<Token>| {
        if !cur.is_empty() {
            out.push(Token::Word(std::mem::take(cur)));
        }
    };
    for c in src.chars() {
        match c {
            ' ' | '\t' | '\r' => flush(&mut cur, &mut out),
            '\n' | ';' | '|' | '&' | '(' | ')' | '`' | '{' | '}' | '<' | '>' => {
                flush(&mut cur, &mut out);
                out.push(Token::Sep);
            }
            '\'' | '"' | '\\' | '\0' => {}
            '$' => cur.push(c),
            _ => cur.push(c),
        }
    }
    flush(&mut cur, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = tokenize("echo \"a; rm -rf /");
        assert_eq!(
            t,
            vec![
                Token::Word("echo".into()),
                Token::Word("a".into()),
                Token::Sep,
                Token::Word("rm".into()),
                Token::Word("-rf".into()),
                Token::Word("/".into()),
            ]
        );
    }
}
