/**
 * A Kubernetes object as plain data: what the generator writes and what the policies read.
 * At least apiVersion, kind and metadata.name; everything else as the API has it.
 */
export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};
