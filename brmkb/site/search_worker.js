/*
 * brmkb search worker: answers the search box of Material for MkDocs.
 *
 * Material's page script talks to its search worker through four messages (SETUP with the
 * index, READY, QUERY with the typed words, RESULT with the grouped, highlighted matches);
 * the theme takes any worker that speaks them (its `__config.search`). Material's own worker
 * builds a Lunr index in the browser, which allocates an object per word and page: at 5,000
 * records that took about five seconds on every page load before the first result. This
 * worker keeps postings in flat arrays per word and field, ready in a fraction of that. On a
 * served site it fetches the whole index (search/documents.json) itself as it starts, and the
 * page script's SETUP carries only the configuration; from disk (the audit pack) SETUP
 * carries the documents. It searches the index the way Material does: every word of a query
 * is a prefix, Chinese queries are cut into the index's own words (jieba cut the pages at
 * build time), "quoted" and +words are required, -words excluded, titles and tags weigh more
 * than text (the index's field boosts), a page's `search.boost` raises it, and results are
 * grouped by page with the matched words marked.
 */
"use strict"

/* Material's SearchMessageType */
const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3

/* Term-frequency saturation (BM25's k1); pages are not normalized by length */
const K1 = 1.2

/* At most this many words of a query are searched */
const MAX_CLAUSES = 24

/* Chinese, Japanese and Korean ideographs: typed without spaces, cut by the vocabulary */
const HAN = /\p{sc=Han}+/gu

/* Elements without an end tag */
const VOID = /^(?:br|hr|img|wbr|input|col|area|source)\b/i

let index = null

/**
 * A pattern that matches what lies between words: the index's separator, and HTML tags
 * (a tag is read up to its ">" or, unclosed, up to the next "<", so the scan stays linear).
 */
function splitterOf(separator) {
  return new RegExp(`<[^<>]*>|(?:${separator})`, "g")
}

/**
 * Calls fn(start, end) for each word of value: the spans between the splitter's matches.
 */
function eachWord(value, splitter, fn) {
  let word = 0
  splitter.lastIndex = 0
  for (;;) {
    const match = splitter.exec(value)
    const until = match === null ? value.length : match.index
    if (until > word) fn(word, until)
    if (match === null) return
    word = match.index + match[0].length
    if (match[0].length === 0) splitter.lastIndex = match.index + 1
  }
}

/**
 * Builds postings (per field, per word: page numbers and counts) from Material's index.
 */
function build({ config, docs }) {
  const splitter = splitterOf(config.separator)
  const fields = Object.entries(config.fields).map(([name, spec]) => ({
    name, boost: spec && typeof spec.boost === "number" ? spec.boost : 1
  }))
  const ids = new Map()
  const terms = []
  const postings = fields.map(() => [])
  const counts = fields.map(() => [])
  const last = fields.map(() => [])
  const seen = []
  const df = []
  const cut = []
  const articles = new Map()
  const parent = new Int32Array(docs.length)

  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]
    const path = doc.location.split("#", 1)[0]
    const article = articles.get(path)
    if (article === undefined) {
      articles.set(path, d)
      parent[d] = -1
    } else {
      parent[d] = article
    }
    for (let f = 0; f < fields.length; f++) {
      const value = doc[fields[f].name]
      if (value === undefined || value === null) continue
      const listed = Array.isArray(value)
      const parts = listed ? value : [value]
      const list = postings[f], tf = counts[f], at = last[f]
      for (const part of parts) {
        const text = String(part).toLowerCase()
        eachWord(text, splitter, (start, end) => {
          const word = text.slice(start, end)
          let t = ids.get(word)
          if (t === undefined) {
            t = terms.length
            ids.set(word, t)
            terms.push(word)
            for (let g = 0; g < fields.length; g++) {
              postings[g].push(null)
              counts[g].push(null)
              last[g].push(-1)
            }
            seen.push(-1)
            df.push(0)
            cut.push(false)
          }
          if (!listed) cut[t] = true
          if (seen[t] !== d) {
            seen[t] = d
            df[t]++
          }
          if (list[t] === null) {
            list[t] = []
            tf[t] = []
          }
          if (at[t] === d) {
            tf[t][tf[t].length - 1]++
          } else {
            at[t] = d
            list[t].push(d)
            tf[t].push(1)
          }
        })
      }
    }
  }
  const sorted = terms.map((_, t) => t).sort((a, b) => (
    terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0
  ))
  return {
    docs, fields, splitter, ids, terms, sorted, postings, counts, df, parent,
    words: sorted.filter(t => cut[t]),
    longest: terms.reduce((most, word, t) => cut[t] ? Math.max(most, word.length) : most, 1),
    boosts: Float64Array.from(docs, (doc, d) => boostOf(doc, docs[parent[d] < 0 ? d : parent[d]]))
  }
}

/**
 * A page's search boost; its sections share it unless they name their own (the site's
 * index states it once per page).
 */
function boostOf(doc, page) {
  if (typeof doc.boost === "number") return doc.boost
  return typeof page.boost === "number" ? page.boost : 1
}

/* ----------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------- */

/**
 * The position in the sorted word ids of the first word not before word.
 */
function lowerBound(terms, sorted, word) {
  let lo = 0, hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (terms[sorted[mid]] < word) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The ids of the words starting with prefix (or equal to it, when exact).
 */
function expand(ix, word, exact) {
  if (exact) {
    const t = ix.ids.get(word)
    return t === undefined ? [] : [t]
  }
  const { terms, sorted } = ix
  const found = []
  for (let i = lowerBound(terms, sorted, word); i < sorted.length; i++) {
    if (!terms[sorted[i]].startsWith(word)) break
    found.push(sorted[i])
  }
  return found
}

/**
 * Whether a word of the pages' titles and text is word (exact) or begins with it.
 */
function known(ix, word, exact) {
  const { terms, words } = ix
  const i = lowerBound(terms, words, word)
  return i < words.length && (exact ? terms[words[i]] === word : terms[words[i]].startsWith(word))
}

/**
 * Cuts a run of ideographs into the words of the pages' titles and text (jieba cut them
 * at build time; tags are whole phrases), longest first (words that begin so, unless
 * exact); a character no word begins with is searched on its own.
 */
function segment(ix, run, exact) {
  const words = []
  for (let i = 0; i < run.length;) {
    let j = i + 1
    for (let k = Math.min(run.length, i + ix.longest); k > i + 1; k--)
      if (known(ix, run.slice(i, k), exact)) {
        j = k
        break
      }
    words.push(run.slice(i, j))
    i = j
  }
  return words
}

/**
 * Text as the index holds it: the search plugin writes &, < and > as entities.
 */
function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}

/**
 * Text as typed, from the index's form.
 */
function unescape(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
    .replace(/&#x27;/g, "'").replace(/&amp;/g, "&")
}

/**
 * Reads a query into clauses: {word, presence: 1 required, -1 excluded, 0 optional}.
 */
function parse(ix, query) {
  const clauses = []
  const parts = query.match(/[+-]?"[^"]*"?|\S+/g) || []
  for (let part of parts) {
    let presence = 0
    if (part[0] === "+" || part[0] === "-") {
      presence = part[0] === "+" ? 1 : -1
      part = part.slice(1)
    }
    if (part[0] === "\"") {
      part = part.replace(/"/g, " ")
      if (presence === 0) presence = 1
    }
    const exact = presence !== 0 && !part.endsWith("*")
    part = escape(part.replace(/\*/g, " ").toLowerCase())
    eachWord(part, ix.splitter, (start, end) => {
      const token = part.slice(start, end)
      let rest = 0
      for (const han of token.matchAll(HAN)) {
        if (han.index > rest) clauses.push({ word: token.slice(rest, han.index), presence, exact })
        for (const word of segment(ix, han[0], exact)) clauses.push({ word, presence, exact })
        rest = han.index + han[0].length
      }
      if (rest < token.length) clauses.push({ word: token.slice(rest), presence, exact })
    })
  }
  const unique = new Map()
  for (const clause of clauses)
    if (!unique.has(clause.word) || clause.presence !== 0) unique.set(clause.word, clause)
  return [...unique.values()].slice(0, MAX_CLAUSES)
}

function search(ix, query) {
  const clauses = parse(ix, query)
  const wanted = clauses.filter(clause => clause.presence >= 0)
  if (!wanted.length) return { items: [] }
  const n = ix.docs.length
  const scores = new Float64Array(n)
  const titles = new Float64Array(n)
  const hits = new Int32Array(n)
  const titleHits = new Int32Array(n)
  const excluded = new Uint8Array(n)
  const marked = new Set()
  let required = 0
  const titleField = ix.fields.findIndex(field => field.name === "title")

  wanted.forEach((clause, c) => {
    const bit = 1 << c
    if (clause.presence === 1) required |= bit
    for (const t of expand(ix, clause.word, clause.exact)) {
      marked.add(ix.terms[t])
      const idf = Math.log(1 + (n - ix.df[t] + 0.5) / (ix.df[t] + 0.5))
      for (let f = 0; f < ix.fields.length; f++) {
        const docs = ix.postings[f][t]
        if (docs === null) continue
        const tf = ix.counts[f][t]
        const weight = idf * ix.fields[f].boost
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i]
          const score = weight * tf[i] * (K1 + 1) / (tf[i] + K1)
          scores[d] += score
          hits[d] |= bit
          if (f === titleField) {
            titles[d] += score
            titleHits[d] |= bit
          }
        }
      }
    }
  })
  for (const clause of clauses)
    if (clause.presence < 0)
      for (const t of expand(ix, clause.word, clause.exact))
        for (let f = 0; f < ix.fields.length; f++)
          for (const d of ix.postings[f][t] || []) excluded[d] = 1

  const matches = []
  for (let d = 0; d < n; d++)
    if (hits[d] && (hits[d] & required) === required && !excluded[d]) {
      let found = 0
      for (let c = 0; c < wanted.length; c++) if (hits[d] & (1 << c)) found++
      const boost = (ix.parent[d] < 0 ? 1 : 0) + found / wanted.length
      matches.push({ d, score: scores[d] * ix.boosts[d] * (1 + boost * boost) })
    }
  matches.sort((a, b) => b.score - a.score || a.d - b.d)

  const groups = new Map()
  for (const { d, score } of matches) {
    const article = ix.parent[d] < 0 ? d : ix.parent[d]
    let group = groups.get(article)
    if (group === undefined) groups.set(article, group = [])
    group.push(item(ix, d, score, termsOf(wanted, hits[d]), marked))
  }
  for (const [article, group] of groups)
    if (!group.some(entry => entry.location === ix.docs[article].location))
      group.push(item(ix, article, 0, termsOf([], 0), null))

  const result = { items: [...groups.values()] }
  if (ix.suggest) result.suggest = suggestion(ix, wanted, titles, titleHits)
  return result
}

/**
 * Which query words an entry holds (Material strikes through the missing ones).
 */
function termsOf(clauses, bits) {
  const terms = Object.create(null)
  clauses.forEach((clause, c) => { terms[unescape(clause.word)] = (bits & (1 << c)) !== 0 })
  return terms
}

/**
 * A result entry: the page's fields, with the matched words marked; of a long text only
 * the first two blocks (paragraphs, lists) that hold a match.
 */
function item(ix, d, score, terms, marked) {
  const doc = ix.docs[d]
  const entry = { location: doc.location, title: doc.title, text: doc.text, score, terms }
  if (doc.tags !== undefined) entry.tags = doc.tags
  if (doc.boost !== undefined) entry.boost = doc.boost
  if (marked !== null && marked.size) {
    entry.title = mark(ix, doc.title, marked)
    entry.text = excerpt(ix, doc.text, marked)
  }
  return entry
}

/**
 * value with each of its words that is in marked wrapped in <mark>.
 */
function mark(ix, value, marked) {
  let out = "", from = 0
  eachWord(value, ix.splitter, (start, end) => {
    if (!marked.has(value.slice(start, end).toLowerCase())) return
    out += value.slice(from, start) + "<mark>" + value.slice(start, end) + "</mark>"
    from = end
  })
  return from === 0 ? value : out + value.slice(from)
}

/**
 * The text's top-level blocks: spans from one element at depth 0 to its end.
 */
function blocks(value) {
  const spans = []
  let depth = 0, start = 0
  for (let i = value.indexOf("<"); i !== -1; i = value.indexOf("<", i + 1)) {
    const close = value.indexOf(">", i)
    if (close === -1) break
    const closing = value[i + 1] === "/"
    const single = value[close - 1] === "/" || VOID.test(value.slice(i + 1, close))
    if (closing) {
      if (--depth === 0) {
        spans.push([start, close + 1])
        start = close + 1
      }
      if (depth < 0) depth = 0
    } else if (!single) {
      if (depth++ === 0 && i > start && value.slice(start, i).trim()) spans.push([start, i])
      if (depth === 1) start = i
    }
    i = close
  }
  if (start < value.length && value.slice(start).trim()) spans.push([start, value.length])
  return spans
}

/**
 * The first two blocks of value that hold a marked word, or all of value if none does.
 */
function excerpt(ix, value, marked) {
  const shown = []
  for (const [start, end] of blocks(value)) {
    const block = value.slice(start, end)
    const highlighted = mark(ix, block, marked)
    if (highlighted !== block && shown.push(highlighted) === 2) break
  }
  return shown.length ? shown.join("") : value
}

/**
 * The words of the best title holding every clause, one per clause: Material completes the
 * last typed word with the last of them.
 */
function suggestion(ix, clauses, titles, titleHits) {
  const all = (1 << clauses.length) - 1
  let best = -1
  for (let d = 0; d < titles.length; d++)
    if (titleHits[d] === all && (best < 0 || titles[d] > titles[best])) best = d
  if (best < 0) return []
  const words = []
  const title = ix.docs[best].title
  eachWord(title, ix.splitter, (start, end) => { words.push(title.slice(start, end).toLowerCase()) })
  const found = []
  for (const clause of clauses) {
    const word = words.find(w => clause.exact ? w === clause.word : w.startsWith(clause.word))
    if (word !== undefined) found.push(unescape(word))
  }
  return found
}

/* ----------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------- */

/* The whole index, which a served site keeps beside Material's (brmkb.site.searchworker):
   fetched as the worker starts, while the page is still loading, and built at once. */
const DOCUMENTS = "../../../search/documents.json"
const early = /^https?:$/.test(location.protocol)
  ? fetch(new URL(DOCUMENTS, location.href))
    .then(response => response.ok ? response.json() : null)
    .then(data => data && Array.isArray(data.docs) ? build(data) : null)
    .catch(() => null)
  : Promise.resolve(null)

let ready = null

async function setup(data) {
  let built = data.docs.length ? build(data) : await early
  if (built === null) {
    console.warn(`搜索索引 ${new URL(DOCUMENTS, location.href)} 无法读取：搜索没有结果`)
    built = build(data)
  }
  built.suggest = Boolean(data.options && data.options.suggest)
  return built
}

addEventListener("message", async ev => {
  const message = ev.data
  switch (message.type) {
    case SETUP:
      ready = setup(message.data)
      index = await ready
      postMessage({ type: READY })
      break
    case QUERY:
      if (ready !== null) await ready
      postMessage({ type: RESULT, data: index === null ? { items: [] } : search(index, message.data) })
      break
  }
})
