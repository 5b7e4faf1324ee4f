// Express 4, installed under the npm alias `express4` to test the adapter against both majors.
declare module 'express4' {
  const express: unknown
  export default express
}
