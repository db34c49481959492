/* expr.js: the browser twin of engine/expressions (evaluator.py + values.py).
 *
 * Evaluates the JSON IR of `Expression.to_dict()` (shape in engine/expressions/nodes.py)
 * with the server's value semantics, so live formulas and visible_if on a page agree with
 * what the server recomputes on save. Plain ES2019, no dependencies, no build step.
 *
 *   EngineExpr.evaluate(ir, scope)           -> value (see "Values out"); throws ExprError
 *   EngineExpr.evaluateCondition(ir, scope)  -> boolean (null, false, 0, '' are false)
 *   EngineExpr.ExprError                     -> the one error class (e.message is English)
 *   EngineExpr.format(value, precision[, rounding]) -> display text (see below)
 *   EngineExpr.coerce(value, result, precision[, rounding]) -> like compute.coerce_result;
 *                                            `result` is the formula's client kind
 *                                            ("decimal", "integer", "text", "boolean")
 *   EngineExpr.decimal(text) / integer(text) / date(text) / datetime(x)  -> scope values
 *   EngineExpr.truthy(value), EngineExpr.kind(value)
 *
 * `ir` is the whole dict ({version: 1, source, root}) or a bare node.
 * `scope` is {lookup(path: string[]) -> value, user: string|null, now: Date,
 *             tzOffsetMinutes?: number}.
 *   lookup throws (preferably an ExprError) for an unknown path, like the Python scope;
 *   a table column (items.subtotal) or a multiselect returns an array.
 *   now defaults to new Date(). tzOffsetMinutes is the company time zone's offset east of
 *   UTC (e.g. 480 for UTC+8); without it the browser's own offset at `now` is used.
 *   today() is the date of `now` at that offset, and days_between() reduces date-times to
 *   dates at that offset, exactly as the server does with its aware `now`.
 *
 * Values in (what lookup may return; also what evaluate returns, so values round-trip):
 *   null, undefined and "" -> null (an empty input is null, also inside arrays)
 *   true / false            -> boolean
 *   BigInt, {int: "123"}    -> integer (exact, any size)
 *   JS number               -> integer when it is a safe integer, else a decimal made
 *                              from String(n) (as Python does Decimal(str(float)))
 *   {dec: "12.50"}          -> exact decimal (EngineExpr.decimal("12.50") builds it)
 *   a plain string          -> text. Numeric text is text: wrap numbers from inputs with
 *                              EngineExpr.decimal()/integer(), else `qty * price` is a
 *                              type error, as it would be on the server for text values.
 *   {date: "YYYY-MM-DD"}    -> date (EngineExpr.date(text)); a date input's raw text is text
 *   Date, {datetime: "ISO"} -> date-time (an ISO text without offset is taken as UTC)
 *   Array                   -> list
 * Values out (evaluate): null | boolean | BigInt (integer) | string (text) |
 *   {dec: "31.50"} (plain notation, exactly Python's format(d, 'f'), scale kept) |
 *   {date: "2024-06-15"} | {datetime: "2024-06-14T17:30:00+00:00"} (always in UTC).
 *
 * Numbers: integers are BigInt; decimals are sign + BigInt coefficient + exponent, with the
 * server's context (28 significant digits, ROUND_HALF_EVEN, Emax 999999, overflow and
 * invalid operations raising) and the same algorithms as Python's decimal module for
 * + - * / % (so 0.1 + 0.2 == 0.3, 3 * 10.50 == 31.50, 1 / 3 == 0.3333333333333333333333333333,
 * and even the scale and sign of zero agree).
 *
 * format(value, precision, rounding): "" for null; a number with an integer `precision`
 * is quantized to that many places (rounding "half_up" by default, or "half_even") and
 * written plainly without grouping ("31.50", "-0.00"); without precision numbers are
 * written as is; booleans "true"/"false"; dates "YYYY-MM-DD"; date-times ISO (UTC).
 */
(function (global) {
  "use strict";

  var PREC = 28;
  var EMAX = 999999;
  var DAY_US = 86400000000n;

  class ExprError extends Error {
    constructor(message) {
      super(message);
      this.name = "ExprError";
    }
  }

  function fail(message) {
    throw new ExprError(message);
  }

  // -- exact decimals (a port of the parts of Python's decimal module the engine uses) ----

  class Dec {
    constructor(sign, coeff, exp) {
      this.s = sign;   // 0 or 1 (1 = negative, also for -0)
      this.c = coeff;  // BigInt >= 0
      this.e = exp;    // Number, value = (-1)**s * c * 10**e
    }
  }

  var POW10 = [1n];
  function pow10(n) {
    if (n < 0) { throw new RangeError("negative power of ten"); }
    if (n < 64) {
      while (POW10.length <= n) { POW10.push(POW10[POW10.length - 1] * 10n); }
      return POW10[n];
    }
    return 10n ** BigInt(n);
  }

  function ndigits(c) {
    return c === 0n ? 1 : c.toString().length;
  }

  /** c / 10**k rounded (c >= 0, k >= 1) with "half_even" | "half_up" | "down". */
  function roundCoeff(c, k, mode) {
    var p = pow10(k);
    var q = c / p;
    var r = c % p;
    var half = p / 2n;
    if (mode === "half_even") {
      if (r > half || (r === half && q % 2n === 1n)) { q += 1n; }
    } else if (mode === "half_up") {
      if (r >= half) { q += 1n; }
    }
    return q;
  }

  /** Python's Decimal._fix for our context: round to 28 digits, trap overflow. */
  function fix(sign, c, e) {
    var n = ndigits(c);
    if (n > PREC) {
      var k = n - PREC;
      c = roundCoeff(c, k, "half_even");
      e += k;
      if (ndigits(c) > PREC) { c /= 10n; e += 1; }
    }
    if (c !== 0n && e + ndigits(c) - 1 > EMAX) { fail("arithmetic error (Overflow)"); }
    return new Dec(sign, c, e);
  }

  var DEC_TEXT = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

  function parseDec(text) {
    var m = DEC_TEXT.exec(String(text).trim());
    if (!m) { fail("'" + text + "' is not a number"); }
    var whole = m[2] !== undefined ? m[2] : "";
    var frac = m[3] !== undefined ? m[3] : (m[4] !== undefined ? m[4] : "");
    var exp = (m[5] !== undefined ? parseInt(m[5], 10) : 0) - frac.length;
    if (!isFinite(exp) || Math.abs(exp) > 1e15) { fail("number '" + text + "' is out of range"); }
    return new Dec(m[1] === "-" ? 1 : 0, BigInt((whole + frac) || "0"), exp);
  }

  function decFromInt(i) {
    return i < 0n ? new Dec(1, -i, 0) : new Dec(0, i, 0);
  }

  function toDec(v) {
    return typeof v === "bigint" ? decFromInt(v) : v;
  }

  /** Python's format(d, 'f'): plain notation, scale and sign of zero kept. */
  function plain(d) {
    var digits = d.c.toString();
    var out;
    if (d.e >= 0) {
      out = d.c === 0n ? "0" : digits + "0".repeat(d.e);
    } else {
      var places = -d.e;
      if (digits.length <= places) { digits = "0".repeat(places - digits.length + 1) + digits; }
      out = digits.slice(0, digits.length - places) + "." + digits.slice(digits.length - places);
    }
    return (d.s ? "-" : "") + out;
  }

  /** Python's str(Decimal) (scientific notation for large or tiny exponents). */
  function pyStr(d) {
    var digits = d.c.toString();
    var left = d.e + digits.length;
    var dot = (d.e <= 0 && left > -6) ? left : 1;
    var intPart, fracPart;
    if (dot <= 0) {
      intPart = "0";
      fracPart = "." + "0".repeat(-dot) + digits;
    } else if (dot >= digits.length) {
      intPart = digits + "0".repeat(dot - digits.length);
      fracPart = "";
    } else {
      intPart = digits.slice(0, dot);
      fracPart = "." + digits.slice(dot);
    }
    var exp = left === dot ? "" : "E" + (left - dot >= 0 ? "+" : "") + (left - dot);
    return (d.s ? "-" : "") + intPart + fracPart + exp;
  }

  /** Python's decimal._normalize: align exponents without building huge numbers. */
  function alignForAdd(a, b) {
    var tmp = a, other = b, swapped = false;
    if (a.e < b.e) { tmp = b; other = a; swapped = true; }
    var exp = tmp.e + Math.min(-1, ndigits(tmp.c) - PREC - 2);
    var oc = other.c, oe = other.e;
    if (ndigits(other.c) + other.e - 1 < exp) { oc = 1n; oe = exp; }
    var tc = tmp.c * pow10(tmp.e - oe);
    var t = {s: tmp.s, c: tc}, o = {s: other.s, c: oc};
    return {x: swapped ? o : t, y: swapped ? t : o, e: oe};
  }

  function decAdd(a, b) {
    var exp = Math.min(a.e, b.e);
    if (a.c === 0n && b.c === 0n) { return fix(Math.min(a.s, b.s), 0n, exp); }
    if (a.c === 0n) {
      exp = Math.max(exp, b.e - PREC - 1);
      return fix(b.s, b.c * pow10(b.e - exp), exp);
    }
    if (b.c === 0n) {
      exp = Math.max(exp, a.e - PREC - 1);
      return fix(a.s, a.c * pow10(a.e - exp), exp);
    }
    var al = alignForAdd(a, b);
    var v = (al.x.s ? -al.x.c : al.x.c) + (al.y.s ? -al.y.c : al.y.c);
    if (v === 0n) { return fix(0, 0n, exp); }
    return v < 0n ? fix(1, -v, al.e) : fix(0, v, al.e);
  }

  function decNeg(a) {
    return fix(a.c === 0n ? 0 : 1 - a.s, a.c, a.e);
  }

  function decAbs(a) {
    return fix(0, a.c, a.e);
  }

  function decMul(a, b) {
    return fix(a.s ^ b.s, a.c * b.c, a.e + b.e);
  }

  function decDiv(a, b) {  // b is not zero
    var sign = a.s ^ b.s;
    var exp, coeff;
    if (a.c === 0n) {
      exp = a.e - b.e;
      coeff = 0n;
    } else {
      var shift = ndigits(b.c) - ndigits(a.c) + PREC + 1;
      exp = a.e - b.e - shift;
      var rem;
      if (shift >= 0) {
        var num = a.c * pow10(shift);
        coeff = num / b.c;
        rem = num % b.c;
      } else {
        var den = b.c * pow10(-shift);
        coeff = a.c / den;
        rem = a.c % den;
      }
      if (rem !== 0n) {
        if (coeff % 5n === 0n) { coeff += 1n; }
      } else {
        var ideal = a.e - b.e;
        while (exp < ideal && coeff % 10n === 0n) { coeff /= 10n; exp += 1; }
      }
    }
    return fix(sign, coeff, exp);
  }

  function adjusted(d) {
    return d.e + ndigits(d.c) - 1;
  }

  function decRem(a, b) {  // b is not zero; sign of the dividend
    var ideal = Math.min(a.e, b.e);
    var expdiff = adjusted(a) - adjusted(b);
    if (a.c === 0n || expdiff <= -2) {
      return fix(a.s, a.c * pow10(a.e - ideal), ideal);
    }
    if (expdiff <= PREC) {
      var x = a.c, y = b.c;
      if (a.e >= b.e) { x *= pow10(a.e - b.e); } else { y *= pow10(b.e - a.e); }
      if (x / y < pow10(PREC)) { return fix(a.s, x % y, ideal); }
    }
    return fail("arithmetic error (InvalidOperation)");
  }

  /** Decimal.quantize(Decimal(1).scaleb(-places), rounding) under the engine's context. */
  function quantize(d, places, mode) {
    var exp = -places;
    var c;
    if (d.e >= exp) {
      c = d.c * pow10(d.e - exp);
    } else {
      c = roundCoeff(d.c, exp - d.e, mode);
    }
    if (ndigits(c) > PREC || (c !== 0n && exp + ndigits(c) - 1 > EMAX)) {
      fail("arithmetic error (InvalidOperation)");
    }
    return new Dec(d.s, c, exp);
  }

  function decCmp(a, b) {
    var az = a.c === 0n, bz = b.c === 0n;
    if (az && bz) { return 0; }
    var as = az ? 0 : (a.s ? -1 : 1), bs = bz ? 0 : (b.s ? -1 : 1);
    if (as !== bs) { return as < bs ? -1 : 1; }
    var adjA = adjusted(a), adjB = adjusted(b);
    var mag;
    if (adjA !== adjB) {
      mag = adjA < adjB ? -1 : 1;
    } else {
      var x = a.c, y = b.c;
      if (a.e >= b.e) { x *= pow10(a.e - b.e); } else { y *= pow10(b.e - a.e); }
      mag = x < y ? -1 : (x > y ? 1 : 0);
    }
    return as < 0 ? -mag : mag;
  }

  // -- dates: day numbers (proleptic Gregorian) and UTC microseconds ---------------------

  class DateV {
    constructor(days) { this.days = days; }  // days since 1970-01-01
  }

  class DateTimeV {
    constructor(us) { this.us = us; }  // BigInt microseconds since 1970-01-01T00:00Z
  }

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400);
    var yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  function civilFromDays(z) {
    z += 719468;
    var era = Math.floor(z / 146097);
    var doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var y = yoe + era * 400;
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153);
    var d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    var m = mp + (mp < 10 ? 3 : -9);
    return [m <= 2 ? y + 1 : y, m, d];
  }

  var MIN_DAYS = daysFromCivil(1, 1, 1);
  var MAX_DAYS = daysFromCivil(9999, 12, 31);
  var MIN_US = BigInt(MIN_DAYS) * DAY_US;
  var MAX_US = BigInt(MAX_DAYS + 1) * DAY_US - 1n;

  function pad(n, width) {
    var s = String(n);
    return s.length >= width ? s : "0".repeat(width - s.length) + s;
  }

  function validDate(y, m, d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) { return false; }
    var days = [31, (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28, 31, 30, 31, 30,
      31, 31, 30, 31, 30, 31][m - 1];
    return d <= days;
  }

  function parseDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text).trim());
    if (!m || !validDate(+m[1], +m[2], +m[3])) { fail("'" + text + "' is not a date (YYYY-MM-DD)"); }
    return new DateV(daysFromCivil(+m[1], +m[2], +m[3]));
  }

  function dateIso(v) {
    var ymd = civilFromDays(v.days);
    return pad(ymd[0], 4) + "-" + pad(ymd[1], 2) + "-" + pad(ymd[2], 2);
  }

  function floorDiv(a, b) {  // BigInt, b > 0
    var q = a / b;
    return (a % b !== 0n && a < 0n) ? q - 1n : q;
  }

  function parseDateTime(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
      .exec(String(text).trim());
    if (!m || !validDate(+m[1], +m[2], +m[3]) || +m[4] > 23 || +m[5] > 59 || +(m[6] || 0) > 59) {
      fail("'" + text + "' is not a date-time");
    }
    var us = BigInt(daysFromCivil(+m[1], +m[2], +m[3])) * DAY_US +
      BigInt(((+m[4]) * 3600 + (+m[5]) * 60 + (+(m[6] || 0)))) * 1000000n +
      BigInt((m[7] || "").slice(0, 6).padEnd(6, "0"));
    if (m[8] && m[8].toUpperCase() !== "Z") {
      var sign = m[8][0] === "-" ? -1 : 1;
      var digits = m[8].slice(1).replace(":", "");
      var minutes = (+digits.slice(0, 2)) * 60 + (+(digits.slice(2) || 0));
      us -= BigInt(sign * minutes) * 60000000n;
    }
    return new DateTimeV(us);
  }

  function dateTimeIso(v) {
    var days = floorDiv(v.us, DAY_US);
    var rest = v.us - days * DAY_US;
    var secs = Number(rest / 1000000n);
    var micro = Number(rest % 1000000n);
    var text = dateIso(new DateV(Number(days))) + "T" + pad(Math.floor(secs / 3600), 2) + ":" +
      pad(Math.floor(secs / 60) % 60, 2) + ":" + pad(secs % 60, 2);
    return text + (micro ? "." + pad(micro, 6) : "") + "+00:00";
  }

  function checkDays(days) {
    if (!(days >= MIN_DAYS && days <= MAX_DAYS)) { fail("date out of range"); }
    return new DateV(days);
  }

  function addDays(v, n) {  // n: BigInt
    if (v instanceof DateTimeV) {
      var us = v.us + n * DAY_US;
      if (us < MIN_US || us > MAX_US) { fail("date out of range"); }
      return new DateTimeV(us);
    }
    return checkDays(v.days + Number(n));
  }

  // -- values ---------------------------------------------------------------------------

  var WORDS = {"null": "null", "bool": "a boolean", "int": "a number", "dec": "a number",
    "str": "text", "date": "a date", "datetime": "a date-time", "list": "a list"};
  var LIST_ONLY = "a list can only be used with in, sum, len, min and max";

  function kindOf(v) {
    if (v === null) { return "null"; }
    if (typeof v === "boolean") { return "bool"; }
    if (typeof v === "bigint") { return "int"; }
    if (v instanceof Dec) { return "dec"; }
    if (typeof v === "string") { return "str"; }
    if (v instanceof DateTimeV) { return "datetime"; }
    if (v instanceof DateV) { return "date"; }
    if (Array.isArray(v)) { return "list"; }
    return fail("unsupported value");
  }

  function word(kind) {
    return WORDS[kind] || kind;
  }

  function isNumberKind(k) {
    return k === "int" || k === "dec";
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** A scope (or caller) value -> the internal representation. */
  function normalize(v) {
    if (v === null || v === undefined || v === "") { return null; }
    switch (typeof v) {
      case "boolean":
      case "bigint":
      case "string":
        return v;
      case "number":
        if (!isFinite(v)) { fail("number " + v + " is not finite"); }
        return Number.isSafeInteger(v) ? BigInt(v) : parseDec(String(v));
      default:
        break;
    }
    if (v instanceof Dec || v instanceof DateV || v instanceof DateTimeV) { return v; }
    if (Array.isArray(v)) { return v.map(normalize); }
    if (v instanceof Date) {
      var ms = v.getTime();
      if (!isFinite(ms)) { fail("invalid date-time"); }
      return new DateTimeV(BigInt(ms) * 1000n);
    }
    if (typeof v === "object") {
      if (has(v, "dec")) { return parseDec(v.dec); }
      if (has(v, "int")) { return integerOf(v.int); }
      if (has(v, "date")) { return parseDate(v.date); }
      if (has(v, "datetime")) {
        return v.datetime instanceof Date ? normalize(v.datetime) : parseDateTime(v.datetime);
      }
    }
    return fail("unsupported value of type " + (typeof v));
  }

  function integerOf(text) {
    if (typeof text === "bigint") { return text; }
    var t = String(text).trim();
    if (!/^[+-]?\d+$/.test(t)) { fail("'" + text + "' is not a whole number"); }
    return t[0] === "-" ? -BigInt(t.slice(1)) : BigInt(t.replace(/^\+/, ""));
  }

  /** The internal representation -> what evaluate returns (documented above). */
  function exportValue(v) {
    if (v instanceof Dec) { return {dec: plain(v)}; }
    if (v instanceof DateTimeV) { return {datetime: dateTimeIso(v)}; }
    if (v instanceof DateV) { return {date: dateIso(v)}; }
    if (Array.isArray(v)) { return v.map(exportValue); }
    return v;
  }

  function cmpStr(a, b) {
    if (a === b) { return 0; }
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) {  // order by code point, as Python does, not by UTF-16 unit
        if (x >= 0xD800) { x += x >= 0xE000 ? -0x800 : 0x2000; }
        if (y >= 0xD800) { y += y >= 0xE000 ? -0x800 : 0x2000; }
        return x < y ? -1 : 1;
      }
    }
    return a.length < b.length ? -1 : (a.length > b.length ? 1 : 0);
  }

  /** -1 / 0 / 1 for two values already checked comparable. */
  function order(a, b) {
    if (typeof a === "bigint" && typeof b === "bigint") { return a < b ? -1 : (a > b ? 1 : 0); }
    var k = kindOf(a);
    if (isNumberKind(k)) { return decCmp(toDec(a), toDec(b)); }
    if (k === "str") { return cmpStr(a, b); }
    if (k === "date") { return a.days < b.days ? -1 : (a.days > b.days ? 1 : 0); }
    if (k === "datetime") { return a.us < b.us ? -1 : (a.us > b.us ? 1 : 0); }
    if (k === "bool") { return a === b ? 0 : (a ? 1 : -1); }
    return fail("cannot compare " + word(k));
  }

  function sameFamily(a, b) {
    return a === b || (isNumberKind(a) && isNumberKind(b));
  }

  function checkComparable(a, b, op) {
    var ka = kindOf(a), kb = kindOf(b);
    if (ka === "list" || kb === "list") { fail(LIST_ONLY); }
    if (!sameFamily(ka, kb)) { fail("cannot compare " + word(ka) + " with " + word(kb) + " using '" + op + "'"); }
    if (op !== "==" && op !== "!=" && op !== "in" && ka === "bool") {
      fail("booleans cannot be compared with '" + op + "'");
    }
  }

  function compare(op, a, b) {
    if (op === "==" || op === "!=") {
      var equal;
      if (a === null || b === null) {
        equal = a === null && b === null;
      } else {
        checkComparable(a, b, op);
        equal = order(a, b) === 0;
      }
      return op === "==" ? equal : !equal;
    }
    if (a === null || b === null) { return false; }
    checkComparable(a, b, op);
    var o = order(a, b);
    if (op === "<") { return o < 0; }
    if (op === "<=") { return o <= 0; }
    if (op === ">") { return o > 0; }
    if (op === ">=") { return o >= 0; }
    return fail("unknown comparison '" + op + "'");
  }

  function member(element, items) {
    if (element === null) { return false; }
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item !== null) {
        checkComparable(element, item, "in");
        if (order(element, item) === 0) { return true; }
      }
    }
    return false;
  }

  function truthy(v) {
    if (v === null || v === undefined) { return false; }
    if (typeof v === "boolean") { return v; }
    if (typeof v === "string") { return v !== ""; }
    if (typeof v === "bigint") { return v !== 0n; }
    if (v instanceof Dec) { return v.c !== 0n; }
    return true;
  }

  function isZero(v) {
    return typeof v === "bigint" ? v === 0n : v.c === 0n;
  }

  function arithmetic(op, a, b) {
    if (a === null || b === null) { return null; }
    var ka = kindOf(a), kb = kindOf(b);
    if (isNumberKind(ka) && isNumberKind(kb)) {
      if ((op === "/" || op === "%") && isZero(b)) { fail("division by zero"); }
      if (op === "/") { return decDiv(toDec(a), toDec(b)); }
      if (ka === "int" && kb === "int") {
        if (op === "%") { return a % b; }  // BigInt: sign of the dividend, as in SQL
        if (op === "+") { return a + b; }
        if (op === "-") { return a - b; }
        if (op === "*") { return a * b; }
      } else {
        var x = toDec(a), y = toDec(b);
        if (op === "%") { return decRem(x, y); }
        if (op === "+") { return decAdd(x, y); }
        if (op === "-") { return decAdd(x, new Dec(1 - y.s, y.c, y.e)); }
        if (op === "*") { return decMul(x, y); }
      }
      fail("unknown operator '" + op + "'");
    }
    if (op === "+" && ka === "str" && kb === "str") { return a + b; }
    var dateA = ka === "date" || ka === "datetime", dateB = kb === "date" || kb === "datetime";
    if (dateA && kb === "int" && (op === "+" || op === "-")) { return addDays(a, op === "+" ? b : -b); }
    if (ka === "int" && dateB && op === "+") { return addDays(b, a); }
    if (ka === "date" && kb === "date" && op === "-") { return BigInt(a.days - b.days); }
    var hint = (ka === "datetime" && kb === "datetime" && op === "-") ? "; use days_between(a, b)" : "";
    return fail("cannot apply '" + op + "' to " + word(ka) + " and " + word(kb) + hint);
  }

  function negate(v) {
    if (v === null) { return null; }
    var k = kindOf(v);
    if (!isNumberKind(k)) { fail("cannot negate " + word(k)); }
    return typeof v === "bigint" ? -v : decNeg(v);
  }

  function roundHalfUp(v, digits) {
    if (v === null) { return null; }
    var k = kindOf(v);
    if (!isNumberKind(k)) { fail("round() needs a number, not " + word(k)); }
    if (k === "int" && digits === 0) { return v; }
    return quantize(toDec(v), digits, "half_up");
  }

  function extreme(name, values) {
    var present = values.filter(function (v) { return v !== null; });
    if (present.length === 0) { return null; }
    present.forEach(function (other) { checkComparable(present[0], other, "<"); });
    var best = present[0];
    for (var i = 1; i < present.length; i++) {
      var o = order(present[i], best);
      if (name === "min" ? o < 0 : o > 0) { best = present[i]; }
    }
    return best;
  }

  // -- the evaluator --------------------------------------------------------------------

  function Evaluator(scope) {
    this.scope = scope || {};
    var now = this.scope.now === undefined || this.scope.now === null ? new Date() : this.scope.now;
    this.now = normalize(now);
    if (!(this.now instanceof DateTimeV)) { fail("scope.now must be a date-time"); }
    var offset = this.scope.tzOffsetMinutes;
    if (typeof offset !== "number" || !isFinite(offset)) {
      offset = now instanceof Date ? -now.getTimezoneOffset() : 0;
    }
    this.offsetUs = BigInt(Math.round(offset * 60)) * 1000000n;
  }

  Evaluator.prototype.toDate = function (v) {
    if (v instanceof DateTimeV) { return checkDays(Number(floorDiv(v.us + this.offsetUs, DAY_US))); }
    return v;
  };

  Evaluator.prototype.value = function (node) {
    var result = this.raw(node);
    if (Array.isArray(result)) { fail(LIST_ONLY); }
    return result;
  };

  Evaluator.prototype.raw = function (node) {
    if (node === null || typeof node !== "object") { fail("malformed expression"); }
    switch (node.t) {
      case "lit": {
        var v = node.v;
        if (v === null || v === undefined) { return null; }
        if (typeof v === "number") { return Number.isInteger(v) ? BigInt(v) : parseDec(String(v)); }
        if (typeof v === "boolean" || typeof v === "bigint" || typeof v === "string") { return v; }
        return fail("malformed literal");
      }
      case "dec":
        return parseDec(node.v);
      case "field": {
        var value = this.scope.lookup(node.path.slice());
        return normalize(value);
      }
      case "user": {
        var user = this.scope.user;
        return user === undefined ? null : user;
      }
      case "not":
        return !truthy(this.value(node.arg));
      case "neg":
        return negate(this.value(node.arg));
      case "bin":
        return arithmetic(node.op, this.value(node.left), this.value(node.right));
      case "and":
      case "or":
        return this.boolop(node);
      case "cmp":
        return this.compare(node);
      case "call":
        return this.call(node);
      case "list":
        return fail("ListLit cannot be evaluated");
      default:
        return fail("unknown expression node '" + node.t + "'");
    }
  };

  Evaluator.prototype.boolop = function (node) {
    var isAnd = node.t === "and";
    for (var i = 0; i < node.args.length; i++) {
      var t = truthy(this.value(node.args[i]));
      if (isAnd && !t) { return false; }
      if (!isAnd && t) { return true; }
    }
    return isAnd;
  };

  Evaluator.prototype.compare = function (node) {
    var left = this.value(node.left);
    var op = node.op;
    if (op !== "in" && op !== "not in") { return compare(op, left, this.value(node.right)); }
    var items;
    if (node.right && node.right.t === "list") {
      var self = this;
      items = node.right.items.map(function (item) { return self.value(item); });
    } else {
      items = this.raw(node.right);
      if (items === null) { items = []; }
      if (!Array.isArray(items)) {
        fail("right of '" + op + "' must be a list like [1, 2] or a list-valued field");
      }
    }
    var found = member(left, items);
    return op === "in" ? found : !found;
  };

  Evaluator.prototype.call = function (node) {
    var name = node.fn, argNodes = node.args || [];
    var self = this;
    if (name === "today") { return this.toDate(this.now); }
    if (name === "now") { return this.now; }
    if (name === "sum" || name === "len" || ((name === "min" || name === "max") && argNodes.length === 1)) {
      return this.aggregate(name, this.raw(argNodes[0]));
    }
    var args = argNodes.map(function (a) { return self.value(a); });
    if (name === "min" || name === "max") { return extreme(name, args); }
    if (name === "round") {
      var digits = args.length > 1 ? args[1] : 0n;
      if (typeof digits !== "bigint" || digits < 0n || digits > 1000n) {
        fail("round(x, n): n must be a whole number from 0 to 10");
      }
      return roundHalfUp(args[0], Number(digits));
    }
    if (name === "abs") {
      var x = args[0];
      if (x === null) { return null; }
      var k = kindOf(x);
      if (!isNumberKind(k)) { fail("abs() needs a number, not " + word(k)); }
      return typeof x === "bigint" ? (x < 0n ? -x : x) : decAbs(x);
    }
    if (name === "coalesce") {
      var present = args.filter(function (a) { return a !== null; });
      for (var i = 1; i < present.length; i++) { checkComparable(present[0], present[i], "=="); }
      return present.length ? present[0] : null;
    }
    if (name === "days_between") {
      if (args[0] === null || args[1] === null) { return null; }
      args.forEach(function (a) {
        var kind = kindOf(a);
        if (kind !== "date" && kind !== "datetime") { fail("days_between() needs dates, not " + word(kind)); }
      });
      return BigInt(this.toDate(args[1]).days - this.toDate(args[0]).days);
    }
    return fail("unknown function '" + name + "'");
  };

  Evaluator.prototype.aggregate = function (name, value) {
    if (name === "len") {
      if (value === null) { return 0n; }
      if (Array.isArray(value)) { return BigInt(value.length); }
      if (typeof value === "string") { return BigInt(Array.from(value).length); }  // code points
      return fail("len() needs a list or text, not " + word(kindOf(value)));
    }
    if ((name === "min" || name === "max") && !Array.isArray(value)) { return extreme(name, [value]); }
    if (name === "min" || name === "max") { return extreme(name, value); }
    if (value === null) { return 0n; }
    if (!Array.isArray(value)) { fail("sum() needs a list-valued field, e.g. sum(items.subtotal)"); }
    var total = 0n;
    for (var i = 0; i < value.length; i++) {
      var item = value[i];
      if (item !== null) {
        if (!isNumberKind(kindOf(item))) { fail("sum() cannot add " + word(kindOf(item))); }
        total = arithmetic("+", total, item);
      }
    }
    return total;
  };

  function rootOf(ir) {
    if (ir && typeof ir === "object" && has(ir, "root")) {
      if (ir.version !== undefined && ir.version !== 1) { fail("unsupported expression version " + ir.version); }
      return ir.root;
    }
    return ir;
  }

  function run(ir, scope) {
    try {
      return new Evaluator(scope).value(rootOf(ir));
    } catch (e) {
      if (e instanceof ExprError) { throw e; }
      if (e instanceof RangeError) { throw new ExprError("arithmetic error (" + e.message + ")"); }
      throw e;
    }
  }

  // -- public API -----------------------------------------------------------------------

  function evaluate(ir, scope) {
    return exportValue(run(ir, scope));
  }

  function evaluateCondition(ir, scope) {
    return truthy(run(ir, scope));
  }

  function roundingMode(rounding) {
    if (rounding === undefined || rounding === null || rounding === "half_up") { return "half_up"; }
    if (rounding === "half_even") { return "half_even"; }
    return fail("unknown rounding '" + rounding + "'");
  }

  function validPrecision(precision) {
    return typeof precision === "number" && Number.isInteger(precision) && precision >= 0 && precision <= 100;
  }

  function format(value, precision, rounding) {
    var v = normalize(value);
    if (v === null) { return ""; }
    var k = kindOf(v);
    if (isNumberKind(k)) {
      if (validPrecision(precision)) { return plain(quantize(toDec(v), precision, roundingMode(rounding))); }
      return typeof v === "bigint" ? v.toString() : plain(v);
    }
    if (k === "bool") { return v ? "true" : "false"; }
    if (k === "str") { return v; }
    if (k === "date") { return dateIso(v); }
    if (k === "datetime") { return dateTimeIso(v); }
    return v.map(function (item) { return format(exportValue(item), precision, rounding); }).join(", ");
  }

  var DECIMAL_DIGITS = 15;  // engine/fieldtypes/numbers.py

  /** engine/records/compute.py coerce_result: the value a formula field stores (or null). */
  function coerce(value, result, precision, rounding) {
    var v = normalize(value);
    if (v === null) { return null; }
    var k = kindOf(v);
    try {
      if (result === "decimal") {
        var d;
        if (isNumberKind(k)) { d = toDec(v); } else if (k === "bool") { d = new Dec(0, v ? 1n : 0n, 0); } else if (k === "str") { d = parseDec(v); } else { return null; }
        var places = validPrecision(precision) ? precision : 2;
        var q = quantize(d, places, roundingMode(rounding));
        if (q.c !== 0n && adjusted(q) >= DECIMAL_DIGITS - places) { return null; }
        return {dec: plain(q)};
      }
      if (result === "integer") {
        if (k === "int") { return v; }
        if (k === "dec") { var t = v.e >= 0 ? v.c * pow10(v.e) : v.c / pow10(-v.e); return v.s ? -t : t; }
        if (k === "bool") { return v ? 1n : 0n; }
        if (k === "str" && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) { return integerOf(v.replace(/_/g, "")); }
        return null;
      }
      if (result === "text") {
        if (k === "bool") { return v ? "True" : "False"; }
        if (k === "dec") { return pyStr(v); }
        if (k === "int") { return v.toString(); }
        if (k === "date") { return dateIso(v); }
        if (k === "datetime") { return dateTimeIso(v); }
        return k === "str" ? v : null;
      }
      if (result === "boolean") { return truthy(v); }
    } catch (e) {
      if (e instanceof ExprError || e instanceof RangeError) { return null; }
      throw e;
    }
    return exportValue(v);
  }

  function decimalValue(text) {
    var v = text instanceof Dec ? text : parseDec(String(text).replace(/[,\s]/g, ""));
    return {dec: plain(v)};
  }

  global.EngineExpr = {
    evaluate: evaluate,
    evaluateCondition: evaluateCondition,
    ExprError: ExprError,
    format: format,
    coerce: coerce,
    truthy: function (value) { return truthy(normalize(value)); },
    kind: function (value) { return kindOf(normalize(value)); },
    decimal: decimalValue,
    integer: function (text) { return integerOf(typeof text === "number" ? String(text) : text); },
    date: function (text) { return {date: dateIso(text instanceof DateV ? text : parseDate(text))}; },
    datetime: function (x) { return {datetime: dateTimeIso(normalize(x instanceof Date ? x : {datetime: x}))}; }
  };
})(typeof window !== "undefined" ? window : this);
