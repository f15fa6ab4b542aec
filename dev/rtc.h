#ifndef DEV_RTC_H
#define DEV_RTC_H

struct platform;

int rtc_attach(const struct platform *plat);

#endif
