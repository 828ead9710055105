import * as monitoringV1 from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as autoscalingV2 from "kubernetes-models/autoscaling/v2";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as networkingV1 from "kubernetes-models/networking.k8s.io/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as rbacV1 from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as coreV1 from "kubernetes-models/v1";
import type { RenderedObject } from "./render.js";

interface Model {
  validate(): void;
}
type ModelClass = new (data: never) => Model;

const modelsByApiVersion: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  "apps/v1": appsV1,
  "autoscaling/v2": autoscalingV2,
  "batch/v1": batchV1,
  "networking.k8s.io/v1": networkingV1,
  "policy/v1": policyV1,
  "rbac.authorization.k8s.io/v1": rbacV1,
  "monitoring.coreos.com/v1": monitoringV1,
};

/**
 * Validates an object against the OpenAPI schema of its kind (kubernetes-models, and the Prometheus
 * Operator's models for monitoring.coreos.com). A kind without a model is an error, never a silent pass.
 */
export function validateObject(object: RenderedObject): void {
  const Model = modelsByApiVersion[object.apiVersion]?.[object.kind] as ModelClass | undefined;
  if (!Model)
    throw new Error(`no model to validate ${object.apiVersion} ${object.kind} ${object.metadata.name}`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
  }
}
