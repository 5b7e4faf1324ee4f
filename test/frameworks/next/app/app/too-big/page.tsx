import { growTooBig } from './actions.ts'

export default function TooBig() {
  return (
    <form action={growTooBig}>
      <button type="submit">Too big</button>
    </form>
  )
}
