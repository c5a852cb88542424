//! Internal proc macros of the `trillet` crate. Only `proc_macro` from the standard library: no
//! syn/quote, so the crate adds nothing to a library user's dependency tree or build time.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// On a struct with named fields: gives every field whose type is `Option<...>` the attribute
/// `#[serde(skip_serializing_if = "Option::is_none")]`, unless one of its attributes already says
/// `skip` something (an explicit `skip_serializing_if`, `skip`, `skip_serializing`). Put it above
/// `#[derive(Serialize)]`, so the derive sees the added attributes.
///
/// The models' 400-odd hand-written copies of that attribute become one line per struct.
#[proc_macro_attribute]
pub fn skip_none(args: TokenStream, item: TokenStream) -> TokenStream {
    if let Some(tt) = args.into_iter().next() {
        return error(tt.span(), "skip_none takes no arguments");
    }
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let Some(body) = tokens.iter().rposition(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))
    else {
        return error(Span::call_site(), "skip_none expects a struct with named fields");
    };
    let TokenTree::Group(group) = &tokens[body] else { unreachable!("found above") };
    let mut fields = Group::new(Delimiter::Brace, rewrite_fields(group.stream()));
    fields.set_span(group.span());
    tokens[body] = TokenTree::Group(fields);
    tokens.into_iter().collect()
}

/// Splits the fields at top-level commas (commas inside `<...>` belong to the type) and prefixes
/// each `Option` field with the attribute.
fn rewrite_fields(body: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut field = Vec::new();
    let mut depth = 0i32;
    for tt in body {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' => depth -= 1,
            TokenTree::Punct(p) if p.as_char() == ',' && depth == 0 => {
                field.push(tt);
                out.extend(rewrite_field(std::mem::take(&mut field)));
                continue;
            }
            _ => {}
        }
        field.push(tt);
    }
    out.extend(rewrite_field(field));
    out.into_iter().collect()
}

fn rewrite_field(field: Vec<TokenTree>) -> Vec<TokenTree> {
    // Attributes are `#` followed by a bracketed group; the type follows the first lone `:`.
    let mut explicit = false;
    let mut colon = None;
    for (i, tt) in field.iter().enumerate() {
        match tt {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                let text = g.stream().to_string();
                explicit |= text.starts_with("serde") && text.contains("skip");
            }
            TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(colon) = colon else { return field };
    let is_option = field[colon + 1..]
        .iter()
        .take_while(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == '<'))
        .filter_map(|t| match t {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
        .last()
        .is_some_and(|last| last == "Option");
    if !is_option || explicit {
        return field;
    }
    let attr = [
        TokenTree::Ident(Ident::new("skip_serializing_if", Span::call_site())),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(Literal::string("Option::is_none")),
    ];
    let serde = [
        TokenTree::Ident(Ident::new("serde", Span::call_site())),
        TokenTree::Group(Group::new(Delimiter::Parenthesis, attr.into_iter().collect())),
    ];
    let mut out = vec![
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, serde.into_iter().collect())),
    ];
    out.extend(field);
    out
}

fn error(span: Span, message: &str) -> TokenStream {
    let mut lit = Literal::string(message);
    lit.set_span(span);
    let tokens = [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(Punct::new('!', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenTree::Literal(lit).into())),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ];
    tokens.into_iter().collect()
}
