import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RedBlackTree, type TreeNode } from "./red-black-tree.js";

class Node implements TreeNode<Node> {
  left: Node | null = null;
  right: Node | null = null;
  parent: Node | null = null;
  red = false;
  constructor(public key: number) {}
}

function inOrder(node: Node | null, into: number[] = []): number[] {
  if (node !== null) {
    inOrder(node.left, into);
    into.push(node.key);
    inOrder(node.right, into);
  }
  return into;
}

describe("RedBlackTree", () => {
  it("matches a sorted set and stays balanced through any inserts and removes", () => {
    const operation = fc.record({ insert: fc.boolean(), key: fc.integer({ min: -40, max: 40 }) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300, size: "max" }), (operations) => {
        const tree = new RedBlackTree<Node>();
        const nodes = new Map<number, Node>();
        for (const { insert, key } of operations) {
          const existing = nodes.get(key);
          if (insert && existing === undefined) {
            const near = tree.closest(key);
            const node = new Node(key);
            tree.attach(node, near);
            nodes.set(key, node);
          } else if (!insert && existing !== undefined) {
            tree.remove(existing);
            nodes.delete(key);
          }
          expect(tree.validate()).toEqual([]);
        }
        expect(inOrder(tree.root)).toEqual([...nodes.keys()].sort((a, b) => a - b));
        for (const [key, node] of nodes) expect(tree.closest(key)).toBe(node);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps node identity, so outside pointers stay valid", () => {
    const tree = new RedBlackTree<Node>();
    const nodes = [5, 3, 8, 1, 4, 7, 9, 2, 6].map((key) => {
      const node = new Node(key);
      tree.attach(node, tree.closest(key));
      return node;
    });
    tree.remove(nodes[0] as Node);
    expect(tree.closest(3)).toBe(nodes[1]);
    expect(tree.closest(5)?.key).not.toBe(5);
    expect(tree.validate()).toEqual([]);
  });

  it("reports broken structure", () => {
    const tree = new RedBlackTree<Node>();
    const root = new Node(2);
    const child = new Node(1);
    tree.attach(root, null);
    tree.attach(child, root);
    child.key = 3;
    root.red = true;
    expect(tree.validate()).toEqual(expect.arrayContaining(["root is red", "key 3 out of order"]));
  });
});
