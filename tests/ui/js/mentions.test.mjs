// node --test: the comment box's @ completion (engine/ui/static/js/mentions.js), its pure part.
import test from "node:test";
import assert from "node:assert/strict";
import { insertMention, mentionAt, mentionText, mentionUrl, moveActive } from "../../../engine/ui/static/js/mentions.js";

test("the mention being typed is the @ before the caret and what follows it", () => {
  assert.deepEqual(mentionAt("请 @张", 4), { start: 2, query: "张" });
  assert.deepEqual(mentionAt("@", 1), { start: 0, query: "" });
  assert.deepEqual(mentionAt("hi @bo and more", 6), { start: 3, query: "bo" });
  assert.deepEqual(mentionAt("（@li", 4), { start: 1, query: "li" });
});

test("no mention without an @, in an e-mail address, or after a space or a line break", () => {
  assert.equal(mentionAt("hello", 5), null);
  assert.equal(mentionAt("mail a@b", 8), null);
  assert.equal(mentionAt("@bo done", 8), null);
  assert.equal(mentionAt("@bo\nx", 5), null);
  assert.equal(mentionAt("@" + "x".repeat(33), 34), null);
  assert.equal(mentionAt("@bo", 0), null);  // the caret before it
});

test("a mention says the display name unless shared or unusable, then the user name", () => {
  const zw = { name: "zw", display: "张伟" };
  assert.equal(mentionText(zw, [zw]), "张伟");
  assert.equal(mentionText(zw, [zw, { name: "zw2", display: "张伟" }]), "zw");
  assert.equal(mentionText({ name: "ann", display: "a@b" }, []), "ann");
  assert.equal(mentionText({ name: "bo", display: "" }, []), "bo");
});

test("choosing replaces what was typed after the @ and puts the caret after a space", () => {
  const zw = { name: "zw", display: "张伟" };
  assert.deepEqual(insertMention("请 @张 看看", 2, 4, zw, [zw]), { text: "请 @张伟  看看", caret: 6 });
  assert.deepEqual(insertMention("@b", 0, 2, { name: "bo", display: "Bo Li" }, []), { text: "@Bo Li ", caret: 7 });
});

test("the completion asks the record's mentionable endpoint with the query", () => {
  assert.equal(mentionUrl("/api/forms/note/records/7/mentionable", "张 &"),
    "/api/forms/note/records/7/mentionable?q=%E5%BC%A0%20%26");
});

test("arrow keys move the highlight round the list", () => {
  assert.equal(moveActive(0, 3, "ArrowDown"), 1);
  assert.equal(moveActive(2, 3, "ArrowDown"), 0);
  assert.equal(moveActive(0, 3, "ArrowUp"), 2);
  assert.equal(moveActive(1, 3, "Enter"), 1);
  assert.equal(moveActive(5, 0, "ArrowDown"), 0);
});
