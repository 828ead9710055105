import type { Condition } from "../condition.js";
import { type IndexName, keyOf } from "../model.js";
import type { SortCondition } from "../store.js";
import type { Update } from "../update.js";

/**
 * Compiles the port's conditions, updates and key conditions into DynamoDB expressions for one
 * request, with generated `#n`/`:v` placeholders so that no name or value is ever spliced in.
 */
export class Expressions {
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, unknown> = {};
  private valueCount = 0;

  name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.names.size}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  condition(condition: Condition): string {
    switch (condition.kind) {
      case "exists":
        return `attribute_exists(${this.name(condition.name)})`;
      case "notExists":
        return `attribute_not_exists(${this.name(condition.name)})`;
      case "compare":
        return `${this.name(condition.name)} ${condition.op} ${this.value(condition.value)}`;
      case "beginsWith":
        return `begins_with(${this.name(condition.name)}, ${this.value(condition.prefix)})`;
      case "and":
      case "or": {
        const parts = condition.conditions.map((inner) => `(${this.condition(inner)})`);
        return parts.join(condition.kind === "and" ? " AND " : " OR ");
      }
      case "not":
        return `NOT (${this.condition(condition.condition)})`;
    }
  }

  update(update: Required<Update>): string {
    const set = [
      ...Object.entries(update.set).map(([name, value]) => `${this.name(name)} = ${this.value(value)}`),
      ...Object.entries(update.setIfNotExists).map(([name, value]) => {
        const placeholder = this.name(name);
        return `${placeholder} = if_not_exists(${placeholder}, ${this.value(value)})`;
      }),
    ];
    const add = Object.entries(update.add).map(([name, delta]) => `${this.name(name)} ${this.value(delta)}`);
    const remove = update.remove.map((name) => this.name(name));
    const clauses: [string, string[]][] = [
      ["SET", set],
      ["ADD", add],
      ["REMOVE", remove],
    ];
    return clauses
      .filter(([, parts]) => parts.length > 0)
      .map(([keyword, parts]) => `${keyword} ${parts.join(", ")}`)
      .join(" ");
  }

  keyCondition(index: IndexName | undefined, partition: string, sort: SortCondition | undefined): string {
    const key = keyOf(index);
    const partitionCondition = `${this.name(key.partition)} = ${this.value(partition)}`;
    if (sort === undefined) return partitionCondition;
    const name = this.name(key.sort);
    return `${partitionCondition} AND ${this.sortCondition(name, sort)}`;
  }

  /** The placeholder maps, left out when empty because DynamoDB refuses empty maps. */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    const names = Object.fromEntries(
      [...this.names].map(([attribute, placeholder]) => [placeholder, attribute]),
    );
    return {
      ...(this.names.size > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(this.valueCount > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }

  private sortCondition(name: string, sort: SortCondition): string {
    if ("eq" in sort) return `${name} = ${this.value(sort.eq)}`;
    if ("lt" in sort) return `${name} < ${this.value(sort.lt)}`;
    if ("lte" in sort) return `${name} <= ${this.value(sort.lte)}`;
    if ("gt" in sort) return `${name} > ${this.value(sort.gt)}`;
    if ("gte" in sort) return `${name} >= ${this.value(sort.gte)}`;
    if ("between" in sort) {
      return `${name} BETWEEN ${this.value(sort.between[0])} AND ${this.value(sort.between[1])}`;
    }
    return `begins_with(${name}, ${this.value(sort.beginsWith)})`;
  }
}
