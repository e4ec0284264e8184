/**
 * The federation cases where the JavaScript query planner of @apollo/gateway
 * 2.14.4 answers wrongly, each as small subgraphs of its own with the queries
 * and the exact answers a correct gateway gives. They follow the suites of the
 * public federation gateway audit (graphql-hive/federation-gateway-audit):
 * keys-mashup, non-resolvable-interface-object, requires-with-argument and
 * requires-with-argument-conflict.
 */

export interface CaseSubgraph {
  name: string;
  sdl: string;
  resolvers: Record<string, Record<string, unknown>>;
}

export interface CaseQuery {
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The exact response: `errors` is matched by presence (each gateway words its messages its own way). */
  expected: { data: unknown; errors?: true };
  /** Plain @apollo/gateway 2.14.4 answers this one wrongly (one of the six cases); the others are controls it gets right. */
  wrongOnPlainApollo?: true;
}

export interface FederationCase {
  name: string;
  subgraphs: CaseSubgraph[];
  queries: CaseQuery[];
}

const fed = (version: string, imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/${version}", import: [${imports.map((i) => `"${i}"`).join(', ')}])`;

// ---------------------------------------------------------------------------
// 1. Several keys, reached through another subgraph.
// A shelf (subgraph `shelves`) lists books known there by four keys, of which
// only `id isbn { group publisher }` is resolvable in `shelves`; the catalog
// resolves books by `id` only. `label` needs the catalog's `title`.
// ---------------------------------------------------------------------------

interface Book {
  id: string;
  sku: string;
  isbn: { prefix: string; group: string; publisher: string };
  title: string;
}
const BOOKS: Record<string, Book> = {
  '1': { id: '1', sku: 'sku-1', isbn: { prefix: '978', group: '601', publisher: '7' }, title: 'Abai zholy' },
  '2': { id: '2', sku: 'sku-2', isbn: { prefix: '978', group: '601', publisher: '8' }, title: 'Kan men ter' },
};
const SHELVES: Record<string, { id: string; books: string[] }> = { s1: { id: 's1', books: ['1'] } };

const keysThroughAnotherSubgraph: FederationCase = {
  name: 'several keys, reached through another subgraph (@requires)',
  subgraphs: [
    {
      name: 'catalog',
      sdl: `${fed('v2.5', ['@key'])}
        type Book
          @key(fields: "id", resolvable: true)
          @key(fields: "sku", resolvable: false)
          @key(fields: "isbn { prefix group }", resolvable: false)
          @key(fields: "id isbn { group publisher }", resolvable: false) {
          id: ID!
          sku: ID!
          isbn: Isbn!
          title: String!
        }
        type Isbn { prefix: ID! group: ID! publisher: ID! }
      `,
      resolvers: {
        Book: { __resolveReference: (ref: { id: string }) => BOOKS[ref.id] ?? null },
      },
    },
    {
      name: 'shelves',
      sdl: `${fed('v2.5', ['@key', '@requires', '@external'])}
        type Query { shelf: Shelf }
        type Shelf @key(fields: "id") { id: ID! books: [Book!]! }
        type Book
          @key(fields: "isbn { prefix group }", resolvable: false)
          @key(fields: "id isbn { group publisher }", resolvable: true)
          @key(fields: "sku", resolvable: false)
          @key(fields: "id", resolvable: false) {
          id: ID!
          sku: ID!
          isbn: Isbn!
          title: String! @external
          label: String! @requires(fields: "title")
        }
        type Isbn { prefix: ID! group: ID! publisher: ID! }
      `,
      resolvers: {
        Query: { shelf: () => SHELVES.s1 },
        Shelf: {
          __resolveReference: (ref: { id: string }) => SHELVES[ref.id] ?? null,
          books: (shelf: { books: string[] }) => shelf.books.map((id) => ({ id, sku: BOOKS[id]!.sku, isbn: BOOKS[id]!.isbn })),
        },
        Book: {
          __resolveReference: (ref: { id: string; title?: string }) => {
            const book = BOOKS[ref.id];
            return book ? { id: book.id, sku: book.sku, isbn: book.isbn, title: ref.title } : null;
          },
          label: (book: { title?: string }) => {
            if (!book.title) throw new Error('Book.title was not provided');
            return `shelved: ${book.title}`;
          },
        },
      },
    },
  ],
  queries: [
    {
      title: 'the required field is fetched from the subgraph that resolves the key the shelf knows',
      query: '{ shelf { id books { id title label } } }',
      expected: { data: { shelf: { id: 's1', books: [{ id: '1', title: 'Abai zholy', label: 'shelved: Abai zholy' }] } } },
      wrongOnPlainApollo: true,
    },
    {
      title: 'control: the books and their titles, without the @requires',
      query: '{ shelf { id books { id title } } }',
      expected: { data: { shelf: { id: 's1', books: [{ id: '1', title: 'Abai zholy' }] } } },
    },
  ],
};

// ---------------------------------------------------------------------------
// 2. Non-resolvable @interfaceObject.
// `registry` owns the interface `Node`; `notes` sees it only as a
// non-resolvable @interfaceObject with a field `note`. A `Node` returned by
// `registry` cannot get `note`: the gateway must say so, not answer null.
// ---------------------------------------------------------------------------

const nonResolvableInterfaceObject: FederationCase = {
  name: 'non-resolvable @interfaceObject',
  subgraphs: [
    {
      name: 'registry',
      sdl: `${fed('v2.3', ['@key', '@interfaceObject'])}
        interface Node @key(fields: "id") { id: ID! }
        type Query { registered: Node }
      `,
      resolvers: {
        Query: { registered: () => ({ __typename: 'Node', id: 'n1' }) },
        Node: {
          __resolveReference: () => {
            throw new Error('Node is only an interface here');
          },
        },
      },
    },
    {
      name: 'notes',
      sdl: `${fed('v2.3', ['@key', '@interfaceObject'])}
        type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! note: String }
        type Query { noted: Node }
      `,
      resolvers: {
        Query: { noted: () => ({ __typename: 'Node', id: 'n1' }) },
        Node: {
          __resolveReference: () => {
            throw new Error('Node is not resolvable in notes');
          },
          note: () => 'written in notes',
        },
      },
    },
  ],
  queries: [
    {
      title: 'a field of a node that only the non-resolvable interface object has is an error, not a silent null',
      query: '{ registered { note } }',
      expected: { data: null, errors: true },
      wrongOnPlainApollo: true,
    },
    {
      title: 'the same field, asked where the interface object is served, is answered',
      query: '{ noted { id note } }',
      expected: { data: { noted: { id: 'n1', note: 'written in notes' } } },
    },
  ],
};

// ---------------------------------------------------------------------------
// 3. Arguments of a field that a @requires also selects.
// `threads` (feed, posts) and `authorship` (a post's author, computed from its
// first three comments' authors, @requires(fields: "comments(limit: 3) { authorId }")).
// The client's own `comments(limit: 1)` must keep its argument.
// ---------------------------------------------------------------------------

const POSTS = [{ id: 'p1' }, { id: 'p2' }];
const COMMENTS = [
  { id: 'c1', postId: 'p1', authorId: 'u2' },
  { id: 'c2', postId: 'p1', authorId: 'u2' },
  { id: 'c3', postId: 'p1', authorId: 'u2' },
  { id: 'c4', postId: 'p2', authorId: 'u1' },
  { id: 'c5', postId: 'p2', authorId: 'u1' },
  { id: 'c6', postId: 'p2', authorId: 'u1' },
];
const commentsOf = (postId: string, limit: number) => COMMENTS.filter((c) => c.postId === postId).slice(0, limit);

const oneCommentEach = {
  data: {
    feed: [
      { author: { id: 'u2' }, comments: [{ id: 'c1' }] },
      { author: { id: 'u1' }, comments: [{ id: 'c4' }] },
    ],
  },
};

const requiresWithArguments: FederationCase = {
  name: 'arguments of a field that a @requires also selects',
  subgraphs: [
    {
      name: 'threads',
      sdl: `${fed('v2.3', ['@key'])}
        type Query { feed: [Post] }
        type Post @key(fields: "id") { id: ID! }
        type Comment @key(fields: "id") { id: ID! authorId: ID }
      `,
      resolvers: {
        Query: { feed: () => POSTS.map((p) => ({ id: p.id })) },
        Post: { __resolveReference: (ref: { id: string }) => POSTS.find((p) => p.id === ref.id) ?? null },
        Comment: { __resolveReference: (ref: { id: string }) => COMMENTS.find((c) => c.id === ref.id) ?? null },
      },
    },
    {
      name: 'authorship',
      sdl: `${fed('v2.3', ['@key', '@external', '@requires'])}
        type Post @key(fields: "id") {
          id: ID!
          author: Author @requires(fields: "comments(limit: 3) { authorId }")
          comments(limit: Int!): [Comment]
        }
        type Comment @key(fields: "id") { id: ID! authorId: ID @external }
        type Author { id: ID! }
      `,
      resolvers: {
        Post: {
          __resolveReference: (ref: { id: string; comments?: { authorId: string }[] }) => {
            if (!POSTS.some((p) => p.id === ref.id)) return null;
            if (ref.comments && ref.comments.length !== 3) throw new Error(`expected the 3 required comments, got ${ref.comments.length}`);
            return { id: ref.id, authorId: ref.comments?.[2]?.authorId };
          },
          author: (post: { authorId?: string }) => (post.authorId ? { id: post.authorId } : null),
          comments: (post: { id: string }, { limit }: { limit: number }) => commentsOf(post.id, limit).map((c) => ({ id: c.id })),
        },
        Comment: { __resolveReference: (ref: { id: string }) => (COMMENTS.some((c) => c.id === ref.id) ? { id: ref.id } : null) },
      },
    },
  ],
  queries: [
    {
      title: 'control: the author alone',
      query: '{ feed { author { id } } }',
      expected: { data: { feed: [{ author: { id: 'u2' } }, { author: { id: 'u1' } }] } },
    },
    {
      title: 'a literal argument',
      query: '{ feed { author { id } comments(limit: 1) { id } } }',
      expected: oneCommentEach,
      wrongOnPlainApollo: true,
    },
    {
      title: 'a variable argument',
      query: 'query ($limit: Int = 1) { feed { author { id } comments(limit: $limit) { id } } }',
      expected: oneCommentEach,
      wrongOnPlainApollo: true,
    },
    {
      title: 'the argument set in two fragments',
      query: `query ($limit: Int = 1) { feed { author { id } ...First ...Second } }
        fragment First on Post { comments(limit: $limit) { id } }
        fragment Second on Post { comments(limit: $limit) { id } }`,
      expected: oneCommentEach,
      wrongOnPlainApollo: true,
    },
  ],
};

// ---------------------------------------------------------------------------
// 4. Two fields requiring the same field with different arguments.
// `pricing` has a product's price in any currency (EUR is twice USD);
// `shipping` estimates in USD and in EUR, each @requires its own price.
// ---------------------------------------------------------------------------

const PRODUCTS = [
  { upc: 'p1', name: 'tent', price: 11, weight: 1 },
  { upc: 'p2', name: 'stove', price: 22, weight: 2 },
];

const sameFieldDifferentArguments: FederationCase = {
  name: 'two fields requiring the same field with different arguments',
  subgraphs: [
    {
      name: 'pricing',
      sdl: `${fed('v2.3', ['@key'])}
        type Query { products: [Product] }
        type Product @key(fields: "upc") { upc: String! name: String price(currency: String!): Int weight: Int }
      `,
      resolvers: {
        Query: { products: () => PRODUCTS },
        Product: {
          __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null,
          price: (product: { price: number }, { currency }: { currency: string }) => {
            if (currency === 'USD') return product.price;
            if (currency === 'EUR') return product.price * 2;
            throw new Error(`unsupported currency ${currency}`);
          },
        },
      },
    },
    {
      name: 'shipping',
      sdl: `${fed('v2.3', ['@key', '@external', '@requires'])}
        type Product @key(fields: "upc") {
          upc: String!
          weight: Int @external
          price(currency: String!): Int @external
          shippingEstimate: Int @requires(fields: "price(currency: \\"USD\\") weight")
          shippingEstimateEUR: Int @requires(fields: "price(currency: \\"EUR\\") weight")
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (ref: { upc: string; price?: number; weight?: number }) =>
            PRODUCTS.some((p) => p.upc === ref.upc) ? { upc: ref.upc, price: ref.price, weight: ref.weight } : null,
          shippingEstimate: (product: { price: number; weight: number }) => product.price * product.weight * 10,
          shippingEstimateEUR: (product: { price: number; weight: number }) => product.price * product.weight * 10,
        },
      },
    },
  ],
  queries: [
    {
      title: 'each estimate gets the price in its own currency',
      query: '{ products { upc name shippingEstimate shippingEstimateEUR } }',
      expected: {
        data: {
          products: [
            { upc: 'p1', name: 'tent', shippingEstimate: 110, shippingEstimateEUR: 220 },
            { upc: 'p2', name: 'stove', shippingEstimate: 440, shippingEstimateEUR: 880 },
          ],
        },
      },
      wrongOnPlainApollo: true,
    },
    {
      title: 'control: one estimate alone',
      query: '{ products { upc shippingEstimate } }',
      expected: {
        data: {
          products: [
            { upc: 'p1', shippingEstimate: 110 },
            { upc: 'p2', shippingEstimate: 440 },
          ],
        },
      },
    },
  ],
};

export const FEDERATION_CASES: FederationCase[] = [
  keysThroughAnotherSubgraph,
  nonResolvableInterfaceObject,
  requiresWithArguments,
  sameFieldDifferentArguments,
];

// ---------------------------------------------------------------------------
// Supported features, on one small graph: @provides, @shareable, @external,
// a resolvable @interfaceObject, an interface and a union whose members get
// fields from another subgraph, @inaccessible. Plain Apollo answers these too.
// ---------------------------------------------------------------------------

const ITEMS = [
  { sku: 'i1', title: 'Tent', kind: 'Book' },
  { sku: 'i2', title: 'Stove', kind: 'Video' },
];

const supportedFeatures: FederationCase = {
  name: 'supported features (@provides, @shareable, @interfaceObject, interfaces and unions, @inaccessible)',
  subgraphs: [
    {
      name: 'catalog',
      sdl: `${fed('v2.5', ['@key', '@shareable'])}
        type Query { listings: [Listing!]! items: [Item!]! }
        interface Listing @key(fields: "sku") { sku: ID! }
        type Book implements Listing @key(fields: "sku") { sku: ID! title: String! @shareable }
        type Video implements Listing @key(fields: "sku") { sku: ID! title: String! @shareable }
        type Item @key(fields: "sku") { sku: ID! title: String! @shareable }
      `,
      resolvers: {
        Query: { listings: () => ITEMS.map((i) => ({ __typename: i.kind, ...i })), items: () => ITEMS },
        Listing: { __resolveType: (l: { kind: string }) => l.kind },
        Book: { __resolveReference: (ref: { sku: string }) => ITEMS.find((i) => i.sku === ref.sku) },
        Video: { __resolveReference: (ref: { sku: string }) => ITEMS.find((i) => i.sku === ref.sku) },
        Item: { __resolveReference: (ref: { sku: string }) => ITEMS.find((i) => i.sku === ref.sku) },
      },
    },
    {
      name: 'ratings',
      sdl: `${fed('v2.5', ['@key', '@interfaceObject'])}
        type Listing @key(fields: "sku") @interfaceObject { sku: ID! stars: Int! }
      `,
      resolvers: { Listing: { __resolveReference: (ref: { sku: string }) => ({ sku: ref.sku, stars: ref.sku === 'i1' ? 5 : 3 }) } },
    },
    {
      name: 'stores',
      sdl: `${fed('v2.5', ['@key', '@shareable', '@provides', '@external', '@inaccessible'])}
        type Query { store: Store! media: [Media!]! }
        type Store @key(fields: "id") {
          id: ID!
          featured: Item! @provides(fields: "title")
          safeCode: String @inaccessible
        }
        type Item @key(fields: "sku") { sku: ID! title: String! @external }
        union Media = Photo | Video
        type Photo { url: String! }
        type Video @key(fields: "sku") { sku: ID! }
      `,
      resolvers: {
        Query: {
          store: () => ({ id: 'st1' }),
          media: () => [
            { __typename: 'Photo', url: 'photo.jpg' },
            { __typename: 'Video', sku: 'i2' },
          ],
        },
        Store: {
          // The title this subgraph provides differs from the catalog's, to show where it came from.
          featured: () => ({ sku: 'i1', title: 'Tent (in store)' }),
          safeCode: () => '1234',
        },
        Media: { __resolveType: (m: { __typename: string }) => m.__typename },
      },
    },
  ],
  queries: [
    {
      title: '@provides: the providing subgraph answers the provided field itself',
      query: '{ store { featured { sku title } } }',
      expected: { data: { store: { featured: { sku: 'i1', title: 'Tent (in store)' } } } },
    },
    {
      title: '@interfaceObject: a field of the interface from a subgraph that knows only the interface, on every implementation',
      query: '{ listings { sku stars ... on Book { title } } }',
      expected: {
        data: {
          listings: [
            { sku: 'i1', stars: 5, title: 'Tent' },
            { sku: 'i2', stars: 3 },
          ],
        },
      },
    },
    {
      title: 'a union whose member gets a field from another subgraph (@shareable title)',
      query: '{ media { __typename ... on Photo { url } ... on Video { sku title stars } } }',
      expected: {
        data: {
          media: [
            { __typename: 'Photo', url: 'photo.jpg' },
            { __typename: 'Video', sku: 'i2', title: 'Stove', stars: 3 },
          ],
        },
      },
    },
    {
      title: '@inaccessible: the field is not in the API schema',
      query: '{ store { id safeCode } }',
      expected: { data: null, errors: true },
    },
  ],
};

export const FEATURE_CASES: FederationCase[] = [supportedFeatures];
