/*
 * test_html.c: the light HTML tree (crawler/html.c): exact trees of small
 * documents, the per-node counts, dropped elements, broken markup, the
 * depth and node limits, text extraction, the pre-order walk, a GBK page
 * decoded then parsed, and the CPU time per page on a 22 KB portal page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/testdata.h"
#include "crawler/html.h"

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("crawler/charset", name, len);
}

static struct mw_html_doc *parse(const char *html) {
  struct mw_html_doc *doc = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_html_parse(html, strlen(html), NULL, &doc, &err), MW_OK);
  assert_non_null(doc);
  return doc;
}

/* Writes a tree as tag[attr=value ...](children) with text in quotes;
 * white-space-only text shows as _. */
static void dump(const struct mw_html_node *n, struct mw_buf *b) {
  if (n->kind == MW_HTML_TEXT) {
    bool blank = true;
    for (size_t i = 0; i < n->text_len; i++)
      if (n->text[i] != ' ' && n->text[i] != '\n' && n->text[i] != '\t')
        blank = false;
    if (blank)
      mw_buf_puts(b, "_");
    else
      mw_buf_printf(b, "\"%.*s\"", (int)n->text_len, n->text);
    return;
  }
  mw_buf_puts(b, n->tag);
  if (n->n_attrs) {
    mw_buf_putc(b, '[');
    for (size_t i = 0; i < n->n_attrs; i++)
      mw_buf_printf(b, "%s%s=%s", i ? " " : "", n->attrs[i].name,
                    n->attrs[i].value);
    mw_buf_putc(b, ']');
  }
  if (n->first_child) {
    mw_buf_putc(b, '(');
    for (const struct mw_html_node *c = n->first_child; c; c = c->next)
      dump(c, b);
    mw_buf_putc(b, ')');
  }
}

static void tree_eq(const char *html, const char *want) {
  struct mw_html_doc *doc = parse(html);
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  dump(doc->root, &b);
  assert_string_equal(b.data, want);
  mw_buf_cleanup(&b);
  mw_html_free(doc);
}

static void test_exact_tree(void **state) {
  (void)state;
  tree_eq("<html><head><title>T</title></head><body><div id=\"x\" class=\"c\" "
          "onclick=\"y()\" style=\"z\"><p>你好，世界。</p><a "
          "href=\"/a\" target=\"_blank\">链接</a></div></body></html>",
          "#root(html(head(title(\"T\"))body(div[id=x class=c](p(\"你好，世界。\")"
          "a[href=/a](\"链接\")))))");
  /* Implied html/body, entities resolved in text and attributes. */
  tree_eq("<p title='a&amp;b'>x &lt; y&nbsp;z</p>",
          "#root(html(body(p[title=a&b](\"x < y\xC2\xA0z\"))))");
  /* Void elements have no children; an attribute without value is "". */
  tree_eq("<div>a<br>b<img src=\"i.png\" itemprop>c</div>",
          "#root(html(body(div(\"a\"br\"b\"img[src=i.png itemprop=]\"c\"))))");
  /* Head metadata keeps name/content/property/http-equiv/charset. */
  tree_eq("<head><meta charset=\"gbk\"><meta name=\"PubDate\" "
          "content=\"2023-05-08\"><meta property=\"og:title\" content=\"t\">"
          "<link rel=\"canonical\" href=\"/c\" hreflang=\"zh\"></head>",
          "#root(html(head(meta[charset=gbk]meta[name=PubDate "
          "content=2023-05-08]meta[property=og:title content=t]link[rel="
          "canonical href=/c])))");
  /* Upper-case names become lower case. */
  tree_eq("<DIV CLASS=\"A\"><SPAN>x</SPAN></DIV>",
          "#root(html(body(div[class=A](span(\"x\")))))");
}

static void test_counts(void **state) {
  (void)state;
  struct mw_html_doc *doc = parse(
      "<html><body><div id=\"m\"><p>吉林省，无废城市。</p>\n"
      "<p>  Hello, world!  </p><ul><li><a href=\"/1\">垃圾 分类</a></li>"
      "<li><a name=\"x\">锚点</a></li></ul>\xE3\x80\x80\xC2\xA0</div></body></html>");
  assert_non_null(doc->body);
  const struct mw_html_node *div = doc->body->first_child;
  assert_string_equal(div->tag, "div");
  /* 吉林省，无废城市。 = 9, Hello,world! = 12, 垃圾分类 = 4, 锚点 = 2 */
  assert_int_equal(div->text_chars, 27);
  assert_int_equal(div->link_chars, 4); /* only <a href> */
  assert_int_equal(div->n_links, 1);
  assert_int_equal(div->n_paragraphs, 2);
  assert_int_equal(div->n_punct, 4); /* ， 。 , ! */
  assert_int_equal(div->n_elements, 7); /* p p ul li a li a */
  const struct mw_html_node *p = div->first_child;
  assert_string_equal(p->tag, "p");
  assert_int_equal(p->n_paragraphs, 1);
  assert_int_equal(p->n_elements, 0);
  assert_int_equal(p->text_chars, 9);
  assert_int_equal(p->first_child->text_chars, 9);
  const struct mw_html_node *ul = p->next->next->next;
  assert_string_equal(ul->tag, "ul");
  const struct mw_html_node *a = ul->first_child->first_child;
  assert_string_equal(a->tag, "a");
  assert_int_equal(a->n_links, 1);
  assert_int_equal(a->link_chars, 4);
  assert_int_equal(a->first_child->link_chars, 4);
  assert_int_equal(doc->root->text_chars, 27);
  assert_int_equal(doc->root->n_links, 1);
  assert_int_equal(doc->root->n_elements, 10); /* + html body div */
  assert_false(doc->truncated);
  mw_html_free(doc);
}

static void test_dropped(void **state) {
  (void)state;
  tree_eq("<body><p>a</p><script>document.write('<p>x</p>');</script>"
          "<style>p{color:red}</style><noscript><p>请启用</p></noscript>"
          "<svg><text>svg</text></svg><iframe src=\"/f\">frame</iframe>"
          "<template><p>t</p></template><!-- 注释 --><p>b</p></body>",
          "#root(html(body(p(\"a\")p(\"b\"))))");
  /* A dropped element's end restores normal parsing, nested included. */
  tree_eq("<div><noscript><div><noscript>x</noscript></div></noscript>y</div>",
          "#root(html(body(div(\"y\"))))");
}

static void test_broken(void **state) {
  (void)state;
  /* Auto-closed paragraphs and list items, a stray end tag. */
  tree_eq("<ul><li>一<li>二</ul><p>a<p>b</span></p>",
          "#root(html(body(ul(li(\"一\")li(\"二\"))p(\"a\")p(\"b\"))))");
  /* Unclosed everything, unquoted attributes, bad nesting. */
  tree_eq("<div class=list><a href=/x/1.html>标题<b>粗",
          "#root(html(body(div[class=list](a[href=/x/1.html](\"标题\"b(\"粗\"))))))");
  /* Garbage and a lone '<'. */
  struct mw_html_doc *doc = parse("<<>>< p>1 < 2 &bogus; </x></y><");
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_html_text(doc->root, &b), MW_OK);
  assert_non_null(strstr(b.data, "1 < 2 &bogus;"));
  mw_buf_cleanup(&b);
  mw_html_free(doc);
  /* Empty input: the root alone. */
  struct mw_err err = {0};
  assert_int_equal(mw_html_parse("", 0, NULL, &doc, &err), MW_OK);
  assert_null(doc->root->first_child);
  assert_int_equal(doc->n_nodes, 1);
  assert_null(doc->body);
  mw_html_free(doc);
  /* NUL bytes in the middle do not end the page. */
  static const char nul[] = "<p>a\0b</p><p>c</p>";
  assert_int_equal(mw_html_parse(nul, sizeof nul - 1, NULL, &doc, &err), MW_OK);
  mw_buf_init(&b, 4096);
  mw_html_text(doc->root, &b);
  assert_non_null(strstr(b.data, "c"));
  mw_buf_cleanup(&b);
  mw_html_free(doc);
}

static int max_depth(const struct mw_html_node *root) {
  int d = 0;
  for (const struct mw_html_node *n = root; n; n = mw_html_next(root, n))
    if (n->depth > d) d = n->depth;
  return d;
}

static void test_deep_nesting(void **state) {
  (void)state;
  const size_t depth = 100000;
  struct mw_buf b;
  mw_buf_init(&b, 16u << 20);
  for (size_t i = 0; i < depth; i++) mw_buf_puts(&b, "<div>");
  mw_buf_puts(&b, "深处");
  for (size_t i = 0; i < depth; i++) mw_buf_puts(&b, "</div>");
  mw_buf_puts(&b, "<p>之后</p>");
  struct mw_html_doc *doc = NULL;
  struct mw_err err = {0};
  clock_t t0 = clock();
  assert_int_equal(mw_html_parse(b.data, b.len, NULL, &doc, &err), MW_OK);
  double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
  print_message("100,000 nested <div>: %.1f ms, %zu nodes\n", ms, doc->n_nodes);
  assert_true(doc->truncated);
  assert_true(max_depth(doc->root) <= 257); /* elements <= 256, text +1 */
  assert_true(doc->n_nodes < 400);
  struct mw_buf t;
  mw_buf_init(&t, 4096);
  assert_int_equal(mw_html_text(doc->root, &t), MW_OK);
  assert_string_equal(t.data, "深处\n之后"); /* flattened text is kept */
  mw_buf_cleanup(&t);
  mw_html_free(doc);

  /* A small explicit limit. */
  struct mw_html_limits lim = {.max_depth = 5};
  assert_int_equal(
      mw_html_parse("<div><div><div><div><div><b>x</b></div></div></div></div>"
                    "</div><i>y</i>",
                    strlen("<div><div><div><div><div><b>x</b></div></div></div>"
                           "</div></div><i>y</i>"),
                    &lim, &doc, &err),
      MW_OK);
  mw_buf_init(&t, 4096);
  dump(doc->root, &t);
  /* html=1 body=2 div=3 div=4 div=5; deeper divs and <b> are flattened. */
  assert_string_equal(t.data,
                      "#root(html(body(div(div(div(\"x\")))i(\"y\"))))");
  assert_true(doc->truncated);
  mw_buf_cleanup(&t);
  mw_html_free(doc);
  mw_buf_cleanup(&b);
}

static void test_node_limit(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  for (int i = 0; i < 1000; i++) mw_buf_printf(&b, "<p>%d</p>", i);
  struct mw_html_limits lim = {.max_nodes = 100};
  struct mw_html_doc *doc = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_html_parse(b.data, b.len, &lim, &doc, &err), MW_OK);
  assert_true(doc->truncated);
  assert_int_equal(doc->n_nodes, 100);
  size_t counted = 0;
  for (struct mw_html_node *n = doc->root; n; n = mw_html_next(doc->root, n))
    counted++;
  assert_int_equal(counted, 100);
  /* Counts are complete for what was kept: the open elements were closed. */
  assert_int_equal(doc->body->n_paragraphs, doc->body->n_elements);
  assert_true(doc->root->n_paragraphs >= 45);
  mw_buf_cleanup(&b);
  mw_html_free(doc);
}

static void text_eq(const char *html, const char *want) {
  struct mw_html_doc *doc = parse(html);
  struct mw_buf b;
  mw_buf_init(&b, 1 << 16);
  assert_int_equal(mw_html_text(doc->root, &b), MW_OK);
  assert_string_equal(b.data, want);
  mw_buf_cleanup(&b);
  mw_html_free(doc);
}

static void test_text(void **state) {
  (void)state;
  text_eq("<div>  <h1> 标题 </h1>\n<p>　　第一段，\n  继续。</p><p>第二"
          "<b>段</b>。<br>换行</p>  </div>",
          "标题\n第一段， 继续。\n第二段。\n换行");
  text_eq("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>x",
          "a b\nc\nx");
  text_eq("<ul><li><a href=\"/1\">一</a><span>2023-05-08</span></li>"
          "<li>二</li></ul>",
          "一2023-05-08\n二");
  text_eq("", "");
  /* The text of one node; out is appended to, not replaced. */
  struct mw_html_doc *doc = parse("<p>a <i>b</i></p><p>c</p>");
  struct mw_buf b;
  mw_buf_init(&b, 100);
  mw_buf_puts(&b, ">");
  assert_int_equal(mw_html_text(doc->body->first_child, &b), MW_OK);
  assert_string_equal(b.data, ">a b");
  /* The ceiling of out is honoured. */
  struct mw_buf small;
  mw_buf_init(&small, 2);
  assert_int_equal(mw_html_text(doc->root, &small), MW_ETOOBIG);
  mw_buf_cleanup(&small);
  mw_buf_cleanup(&b);
  mw_html_free(doc);
}

static void test_walk_and_attr(void **state) {
  (void)state;
  struct mw_html_doc *doc =
      parse("<div id=\"a\"><p>1</p><p>2</p></div><div id=\"b\">3</div>");
  const struct mw_html_node *a = doc->body->first_child;
  assert_string_equal(mw_html_attr(a, "id"), "a");
  assert_null(mw_html_attr(a, "class"));
  assert_null(mw_html_attr(NULL, "id"));
  /* Walk within a: a, p, "1", p, "2", then stop (not into div#b). */
  struct mw_buf b;
  mw_buf_init(&b, 1000);
  for (const struct mw_html_node *n = a; n; n = mw_html_next(a, n))
    mw_buf_puts(&b, n->kind == MW_HTML_TEXT ? n->text : n->tag);
  assert_string_equal(b.data, "divp1p2");
  mw_buf_cleanup(&b);
  /* Links are consistent. */
  const struct mw_html_node *p2 = a->last_child;
  assert_ptr_equal(p2->prev, a->first_child);
  assert_ptr_equal(p2->parent, a);
  assert_int_equal(p2->depth, 4);
  assert_null(p2->next);
  mw_html_free(doc);
  mw_html_free(NULL);
}

static void test_gbk_page(void **state) {
  (void)state;
  size_t len;
  char *raw = load("gbk_page.html", &len);
  struct mw_charset_guess g;
  mw_charset_detect(raw, len, NULL, &g);
  struct mw_buf u;
  mw_buf_init(&u, 1 << 20);
  struct mw_err err = {0};
  assert_int_equal(mw_charset_decode(raw, len, g.name, &u, NULL, &err), MW_OK);
  struct mw_html_doc *doc = NULL;
  assert_int_equal(mw_html_parse(u.data, u.len, NULL, &doc, &err), MW_OK);
  struct mw_buf t;
  mw_buf_init(&t, 1 << 16);
  mw_html_text(doc->title, &t);
  assert_string_equal(t.data, "吉林省“无废城市”建设工作简报_吉林省生态环境厅");
  const struct mw_html_node *main_div = doc->body->first_child;
  while (main_div && main_div->kind != MW_HTML_ELEMENT)
    main_div = main_div->next;
  assert_non_null(main_div);
  assert_string_equal(mw_html_attr(main_div, "class"), "main");
  assert_int_equal(main_div->n_paragraphs, 12);
  assert_int_equal(main_div->n_links, 0);
  mw_buf_reset(&t);
  mw_html_text(doc->root, &t);
  assert_null(strstr(t.data, "不是正文")); /* the script's string */
  assert_non_null(strstr(t.data, "吉林省全域“无废城市”建设"));
  mw_buf_cleanup(&t);
  mw_html_free(doc);
  mw_buf_cleanup(&u);
  free(raw);
}

/* CPU per page on a 22 KB GBK portal article, decoded once. The figure is
 * printed, not asserted: sanitizer builds are several times slower. */
static void test_speed(void **state) {
  (void)state;
  size_t len;
  char *raw = load("portal_22k.html", &len);
  struct mw_buf u;
  mw_buf_init(&u, 1 << 20);
  struct mw_err err = {0};
  assert_int_equal(mw_charset_decode(raw, len, "GB18030", &u, NULL, &err), MW_OK);
  const int rounds = 300;
  clock_t t0 = clock();
  for (int i = 0; i < rounds; i++) {
    struct mw_html_doc *doc = NULL;
    assert_int_equal(mw_html_parse(u.data, u.len, NULL, &doc, &err), MW_OK);
    mw_html_free(doc);
  }
  double parse_ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC / rounds;
  t0 = clock();
  for (int i = 0; i < rounds; i++) {
    struct mw_buf d;
    mw_buf_init(&d, 1 << 20);
    mw_charset_decode(raw, len, "GB18030", &d, NULL, &err);
    mw_buf_cleanup(&d);
  }
  double dec_ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC / rounds;
  print_message("portal page %zu bytes GBK, %zu UTF-8: mw_html_parse %.3f ms, "
                "GB18030 decode %.3f ms per page\n",
                len, u.len, parse_ms, dec_ms);
  struct mw_html_doc *doc = NULL;
  assert_int_equal(mw_html_parse(u.data, u.len, NULL, &doc, &err), MW_OK);
  assert_false(doc->truncated);
  assert_true(doc->root->n_paragraphs >= 70);
  mw_html_free(doc);
  mw_buf_cleanup(&u);
  free(raw);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exact_tree),  cmocka_unit_test(test_counts),
      cmocka_unit_test(test_dropped),     cmocka_unit_test(test_broken),
      cmocka_unit_test(test_deep_nesting), cmocka_unit_test(test_node_limit),
      cmocka_unit_test(test_text),        cmocka_unit_test(test_walk_and_attr),
      cmocka_unit_test(test_gbk_page),    cmocka_unit_test(test_speed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
