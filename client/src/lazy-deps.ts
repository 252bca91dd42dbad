// axios and execa, loaded on first use. bttui needs neither before its first line (the menu, or the
// autoboot's), and at start-up they were most of its own cost: a profile of `bttui --version` showed
// their modules, the Node built-ins they pull in (http, https, tls, zlib, child_process) and the fetch
// machinery (undici) that axios wakes at load, ahead of everything bttui itself does.
export const loadAxios = async () => (await import('axios')).default;
export const loadExeca = async () => (await import('execa')).execa;
