/** The fields a node carries to live in a {@link RedBlackTree}; the tree never allocates. */
export interface TreeNode<N> {
  key: number;
  left: N | null;
  right: N | null;
  parent: N | null;
  red: boolean;
}

/**
 * An intrusive red-black tree with unique numeric keys (after CLRS, with null leaves). Nodes are moved,
 * never copied, so a node's identity survives any rebalancing: callers keep pointers to nodes.
 * Insert and remove are O(log n) with at most three rotations.
 */
export class RedBlackTree<N extends TreeNode<N>> {
  root: N | null = null;

  /**
   * The node with `key` if there is one; otherwise the last node on the search path, which is where a
   * node with `key` would be attached (and its in-order neighbour). Null only for an empty tree.
   */
  closest(key: number): N | null {
    let node = this.root;
    let last: N | null = null;
    while (node !== null) {
      last = node;
      if (key < node.key) node = node.left;
      else if (key > node.key) node = node.right;
      else return node;
    }
    return last;
  }

  /** Attaches `node` under `parent`, which must be `closest(node.key)` taken just before, and rebalances. */
  attach(node: N, parent: N | null): void {
    node.parent = parent;
    node.left = null;
    node.right = null;
    node.red = true;
    if (parent === null) this.root = node;
    else if (node.key < parent.key) parent.left = node;
    else parent.right = node;
    this.fixAfterInsert(node);
  }

  remove(node: N): void {
    let removedRed = node.red;
    let child: N | null;
    let childParent: N | null;
    if (node.left === null) {
      child = node.right;
      childParent = node.parent;
      this.transplant(node, node.right);
    } else if (node.right === null) {
      child = node.left;
      childParent = node.parent;
      this.transplant(node, node.left);
    } else {
      let successor = node.right;
      while (successor.left !== null) successor = successor.left;
      removedRed = successor.red;
      child = successor.right;
      if (successor.parent === node) {
        childParent = successor;
      } else {
        childParent = successor.parent;
        this.transplant(successor, successor.right);
        successor.right = node.right;
        node.right.parent = successor;
      }
      this.transplant(node, successor);
      successor.left = node.left;
      node.left.parent = successor;
      successor.red = node.red;
    }
    node.left = null;
    node.right = null;
    node.parent = null;
    if (!removedRed) this.fixAfterRemove(child, childParent);
  }

  /** Structural problems, for audits and tests: ordering, parent links, colours and black heights. */
  validate(): string[] {
    const problems: string[] = [];
    if (this.root?.red) problems.push("root is red");
    if (this.root !== null && this.root.parent !== null) problems.push("root has a parent");
    this.blackHeight(this.root, -Infinity, Infinity, problems);
    return problems;
  }

  private blackHeight(node: N | null, low: number, high: number, problems: string[]): number {
    if (node === null) return 1;
    if (!(node.key > low && node.key < high)) problems.push(`key ${node.key} out of order`);
    for (const child of [node.left, node.right]) {
      if (child !== null && child.parent !== node) problems.push(`bad parent link under ${node.key}`);
      if (child?.red && node.red) problems.push(`red node ${node.key} has a red child`);
    }
    const left = this.blackHeight(node.left, low, node.key, problems);
    const right = this.blackHeight(node.right, node.key, high, problems);
    if (left !== right) problems.push(`unequal black heights under ${node.key}`);
    return left + (node.red ? 0 : 1);
  }

  private transplant(old: N, replacement: N | null): void {
    const parent = old.parent;
    if (parent === null) this.root = replacement;
    else if (old === parent.left) parent.left = replacement;
    else parent.right = replacement;
    if (replacement !== null) replacement.parent = parent;
  }

  private rotateLeft(node: N): void {
    const pivot = node.right as N;
    node.right = pivot.left;
    if (pivot.left !== null) pivot.left.parent = node;
    this.transplant(node, pivot);
    pivot.left = node;
    node.parent = pivot;
  }

  private rotateRight(node: N): void {
    const pivot = node.left as N;
    node.left = pivot.right;
    if (pivot.right !== null) pivot.right.parent = node;
    this.transplant(node, pivot);
    pivot.right = node;
    node.parent = pivot;
  }

  private fixAfterInsert(inserted: N): void {
    let node = inserted;
    let parent = node.parent;
    while (parent?.red) {
      // A red parent is never the root, so the grandparent exists.
      const grandparent = parent.parent as N;
      if (parent === grandparent.left) {
        const uncle = grandparent.right;
        if (uncle?.red) {
          parent.red = false;
          uncle.red = false;
          grandparent.red = true;
          node = grandparent;
        } else {
          if (node === parent.right) {
            this.rotateLeft(parent);
            node = parent;
          }
          (node.parent as N).red = false;
          grandparent.red = true;
          this.rotateRight(grandparent);
        }
      } else {
        const uncle = grandparent.left;
        if (uncle?.red) {
          parent.red = false;
          uncle.red = false;
          grandparent.red = true;
          node = grandparent;
        } else {
          if (node === parent.left) {
            this.rotateRight(parent);
            node = parent;
          }
          (node.parent as N).red = false;
          grandparent.red = true;
          this.rotateLeft(grandparent);
        }
      }
      parent = node.parent;
    }
    (this.root as N).red = false;
  }

  /** Restores black heights after removing a black node; `node` (maybe null) sits one black short. */
  private fixAfterRemove(start: N | null, startParent: N | null): void {
    let node = start;
    let parent = startParent;
    while (node !== this.root && (node === null || !node.red) && parent !== null) {
      if (node === parent.left) {
        // The short side's sibling has black height >= 1, so it exists.
        let sibling = parent.right as N;
        if (sibling.red) {
          sibling.red = false;
          parent.red = true;
          this.rotateLeft(parent);
          sibling = parent.right as N;
        }
        if (!sibling.left?.red && !sibling.right?.red) {
          sibling.red = true;
          node = parent;
          parent = node.parent;
        } else {
          if (!sibling.right?.red) {
            (sibling.left as N).red = false;
            sibling.red = true;
            this.rotateRight(sibling);
            sibling = parent.right as N;
          }
          sibling.red = parent.red;
          parent.red = false;
          if (sibling.right !== null) sibling.right.red = false;
          this.rotateLeft(parent);
          node = this.root;
          parent = null;
        }
      } else {
        let sibling = parent.left as N;
        if (sibling.red) {
          sibling.red = false;
          parent.red = true;
          this.rotateRight(parent);
          sibling = parent.left as N;
        }
        if (!sibling.left?.red && !sibling.right?.red) {
          sibling.red = true;
          node = parent;
          parent = node.parent;
        } else {
          if (!sibling.left?.red) {
            (sibling.right as N).red = false;
            sibling.red = true;
            this.rotateLeft(sibling);
            sibling = parent.left as N;
          }
          sibling.red = parent.red;
          parent.red = false;
          if (sibling.left !== null) sibling.left.red = false;
          this.rotateRight(parent);
          node = this.root;
          parent = null;
        }
      }
    }
    if (node !== null) node.red = false;
  }
}
