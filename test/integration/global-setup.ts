// Integration tests share nothing global yet; each test file creates its own libSQL file.
export default function setup(): void {}
