import type { TransactWriteItem } from "@aws-sdk/lib-dynamodb";
import type { Condition } from "../condition.js";
import type { Item, Key } from "../model.js";
import type { CheckedItem } from "../requests.js";
import type { Update } from "../update.js";
import { Expressions } from "./expressions.js";

/*
 * The inputs of single-item writes, in the shape TransactWriteItems shares with them. Each request
 * gets its own placeholders; an absent ConditionExpression is left out by the SDK.
 */

export function putInput(TableName: string, item: Item, condition: Condition | undefined) {
  const expressions = new Expressions();
  const ConditionExpression = condition && expressions.condition(condition);
  return { TableName, Item: item, ConditionExpression, ...expressions.attributes() };
}

export function updateInput(
  TableName: string,
  key: Key,
  update: Required<Update>,
  condition: Condition | undefined,
) {
  const expressions = new Expressions();
  const UpdateExpression = expressions.update(update);
  const ConditionExpression = condition && expressions.condition(condition);
  return { TableName, Key: key, UpdateExpression, ConditionExpression, ...expressions.attributes() };
}

export function deleteInput(TableName: string, key: Key, condition: Condition | undefined) {
  const expressions = new Expressions();
  const ConditionExpression = condition && expressions.condition(condition);
  return { TableName, Key: key, ConditionExpression, ...expressions.attributes() };
}

function conditionCheckInput(TableName: string, key: Key, condition: Condition) {
  const expressions = new Expressions();
  const ConditionExpression = expressions.condition(condition);
  return { TableName, Key: key, ConditionExpression, ...expressions.attributes() };
}

export function transactWriteItem(tableName: string, write: CheckedItem): TransactWriteItem {
  switch (write.kind) {
    case "put":
      return { Put: putInput(tableName, write.item, write.condition) };
    case "update":
      return { Update: updateInput(tableName, write.key, write.update, write.condition) };
    case "delete":
      return { Delete: deleteInput(tableName, write.key, write.condition) };
    case "conditionCheck":
      return { ConditionCheck: conditionCheckInput(tableName, write.key, write.condition) };
  }
}
