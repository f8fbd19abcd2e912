// @kubernetes-models/sealed-secrets 1.6 ships typings its package.json "exports" does not point at.
declare module '@kubernetes-models/sealed-secrets' {
  const models: Record<string, unknown>;
  export = models;
}
