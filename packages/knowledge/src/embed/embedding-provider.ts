/** Turns texts into dense vectors. */
export interface EmbeddingProvider {
  /** The model id; stored with every vector so vectors of different models are never compared. */
  readonly model: string;
  /** Embeds texts, one vector per input, in order. `inputType` lets retrieval-tuned models
   * embed questions and passages differently. */
  embed(texts: string[], inputType: 'query' | 'document'): Promise<Float32Array[]>;
}
