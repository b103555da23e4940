// cluster-key-slot (ioredis's own dependency) ships no types: the Redis Cluster hash slot of a key.
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string): number;
}
