// Text imports of the Lua scripts (see lua.ts).
declare module '*.lua?raw' {
  const source: string;
  export default source;
}
