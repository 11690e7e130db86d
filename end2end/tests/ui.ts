// The UI contract the specs locate by: the strings in each language, and the role locators built on
// them. Everything is located by role and accessible name, never by CSS path.
import type { Page } from '@playwright/test';

export type Lang = 'en' | 'ko';
/** Browser locale (sent as Accept-Language) that makes the server pick each language. */
export const LOCALE: Record<Lang, string> = { en: 'en-US', ko: 'ko-KR' };
/**
 * The UI strings the helpers locate elements by, written out (not read from locales/) so that a
 * changed translation is noticed by the tests.
 */
export const UI = {
  en: {
    language: 'Language', className: 'Class name', createRoom: 'Create room', studentLink: 'Student link',
    teacherLink: 'Teacher link', yourName: 'Your name', camera: 'Camera', microphone: 'Microphone', join: 'Join',
    you: (name: string) => `${name} (you)`, mute: 'Mute microphone', unmute: 'Unmute microphone',
    micOff: 'Microphone off', leave: 'Leave', youLeft: 'You left the class', joinAgain: 'Join again',
    notFound: 'Room not found', homeTitle: 'Create a room', roomFull: 'This room is full',
    autoAdmit: 'Let students in automatically',
    adminPassword: 'Password', adminLogIn: 'Log in', adminLogOut: 'Log out',
  },
  ko: {
    language: '언어', className: '수업 이름', createRoom: '수업방 만들기', studentLink: '학생용 링크',
    teacherLink: '교사용 링크', yourName: '이름', camera: '카메라', microphone: '마이크', join: '참여하기',
    you: (name: string) => `${name} (나)`, mute: '마이크 끄기', unmute: '마이크 켜기',
    micOff: '마이크 꺼짐', leave: '나가기', youLeft: '수업에서 나갔습니다', joinAgain: '다시 참여하기',
    notFound: '수업방을 찾을 수 없습니다', homeTitle: '수업방 만들기', roomFull: '수업방이 가득 찼습니다',
    autoAdmit: '학생 자동 입장',
    adminPassword: '비밀번호', adminLogIn: '로그인', adminLogOut: '로그아웃',
  },
} as const;

export const tile = (page: Page, name: string) => page.getByRole('figure', { name, exact: true });
export const selfTile = (page: Page, name: string, lang: Lang = 'en') => tile(page, UI[lang].you(name));

export const participantsList = (page: Page) => page.getByRole('list', { name: 'Participants' });
export const participantEntry = (page: Page, name: string) =>
  participantsList(page).getByRole('listitem').filter({ hasText: new RegExp(`\\b${name}\\b`) });
