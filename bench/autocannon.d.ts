/** The part of autocannon's API the middleware benchmark uses (the package ships no types). */
declare module "autocannon" {
  interface Histogram {
    readonly average: number;
  }
  interface Result {
    readonly requests: Histogram;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    /** Stop after this many requests instead of after `duration`. */
    amount?: number;
    requests?: { method?: string; setupRequest?: (request: { path?: string }) => { path?: string } }[];
  }
  interface Instance extends PromiseLike<Result> {
    on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this;
  }
  export default function autocannon(options: Options): Instance;
}
